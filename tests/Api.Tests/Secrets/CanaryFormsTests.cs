using System.Text;
using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Secrets;

/// <summary>The scan finds the canary as itself and as an accidental copy would carry it: base64 at any alignment, hex.</summary>
[Trait("Speed", "fast")]
public sealed class CanaryFormsTests
{
    [Fact]
    public void The_canary_is_found_in_each_form_it_is_looked_for_in()
    {
        var canary = new Canary();
        var plain = Encoding.ASCII.GetBytes($"xx{canary.Value}yy");

        foreach (var prefix in new[] { "", "a", "ab" })
        {
            var encoded = Convert.ToBase64String([.. Encoding.ASCII.GetBytes(prefix), .. plain]);
            Assert.Throws<Xunit.Sdk.FalseException>(() => canary.AssertAbsent("base64", encoded));
        }
        Assert.Throws<Xunit.Sdk.FalseException>(() => canary.AssertAbsent("hex", Convert.ToHexString(plain)));
        Assert.Throws<Xunit.Sdk.FalseException>(() => canary.AssertAbsent("bytes", plain));
        canary.AssertAbsent("another canary", new Canary().Value);
    }
}
