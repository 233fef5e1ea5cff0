using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Grains.Keys;
using Sources.TestServers;

namespace Sources.Silo.Tests.Grains;

/// <summary>
/// Invented keys cost nothing that lasts: a value not shaped like a key is refused before any
/// lookup, an invented id activates no grain, and a node remembers unknown ids
/// only for a short while, so a key created later on another node is soon accepted.
/// </summary>
public sealed class UnknownKeyTests : KeyNodesTest
{
    private static string NewKey() =>
        $"sk_{RandomNumberGenerator.GetHexString(12, lowercase: true)}_{RandomNumberGenerator.GetHexString(43)}";

    [Fact]
    public async Task A_key_created_on_one_node_is_refused_on_a_node_that_was_asked_before_for_at_most_the_unknown_lifetime()
    {
        var time = new FakeTimeProvider();
        var asked = Node(time, new KeyCacheSettings { UnknownFor = TimeSpan.FromSeconds(30) });
        var key = NewKey();
        Assert.Null(await asked.Verify(key));

        await Node().Create("acme", key);

        Assert.Null(await asked.Verify(key));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await asked.Verify(key));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("acme", await asked.Verify(key));
    }

    [Fact]
    public async Task A_key_created_on_the_node_that_was_asked_before_is_accepted_at_once()
    {
        var node = Node(new FakeTimeProvider());
        var key = NewKey();
        Assert.Null(await node.Verify(key));

        await node.Create("acme", key);

        Assert.Equal("acme", await node.Verify(key));
    }

    [Fact]
    public async Task A_wrong_secret_for_a_live_key_does_not_make_the_node_refuse_the_key()
    {
        var node = Node();
        var key = await Node().Create("acme");

        Assert.Null(await node.Verify(key[..key.LastIndexOf('_')] + "_" + RandomNumberGenerator.GetHexString(43)));

        Assert.Equal("acme", await node.Verify(key));
    }

    [Theory]
    [InlineData("sk_0123456789AB_0123456789abcdef0123")]   // the id's hex is lowercase
    [InlineData("sk_0123456789a_0123456789abcdef0123")]    // 11 digits
    [InlineData("sk_0123456789ab_short")]                 // a secret of fewer than 16
    [InlineData("sk_0123456789ab_0123456789abcdef 0123")]  // a space in the secret
    [InlineData("too-short-value")]                        // an own value of fewer than 16
    [InlineData("an own value with spaces")]
    public async Task A_value_not_shaped_like_a_key_is_refused_and_cannot_be_created(string value)
    {
        Assert.False(KeyShape.TryParse(value, out _, out _));
        Assert.Null(await Node().Verify(value));
        await Assert.ThrowsAsync<ArgumentException>(() => Node().Create("acme", value));
    }

    [Fact]
    public async Task Invented_key_ids_leave_no_activation_behind()
    {
        var node = Node();
        for (var i = 0; i < 200; i++)
            Assert.Null(await node.Verify(NewKey()));

        // They are looked up in storage, not activated; an activation would stay for the idle
        // collection age (15 min).
        await Poll.Until(async () => await KeyActivations() == 0 ? "none" : null,
            TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30), "the invented keys' grains to deactivate");
    }

    private async Task<int?> KeyActivations()
    {
        var statistics = await Silo.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("ApiKeyGrain", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
    }
}
