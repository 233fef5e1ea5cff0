using Sources.Silo.Grains;
using Sources.Silo.Grains.Keys;
using Sources.Silo.Tests.Storage;

namespace Sources.Silo.Tests.Grains;

/// <summary>The cached references must be Orleans' own: same grain id, same interface, same activation.</summary>
public sealed class GrainReferencesTests
{
    [Fact]
    public async Task References_equal_GetGrain_for_integer_and_string_keys_before_and_after_caching()
    {
        await using var database = TestDatabase.Embedded();
        await using var silo = await SiloHost.StartStorage(database.Options);
        var references = new GrainReferences(silo.Grains);

        foreach (var key in new long[] { 7, 8, -1 })
            AssertSame(silo.Grains.GetGrain<IProbeGrain>(key), references.GetGrain<IProbeGrain>(key));
        foreach (var key in new[] { "abc", "0123456789ab" })
            AssertSame(silo.Grains.GetGrain<IApiKeyGrain>(key), references.GetGrain<IApiKeyGrain>(key));

        Assert.Equal(await silo.Grains.GetGrain<IProbeGrain>(9).Activation(), await references.GetGrain<IProbeGrain>(9).Activation());
    }

    [Fact]
    public void A_blank_string_key_is_refused_as_GetGrain_refuses_it()
    {
        var references = new GrainReferences(null!);
        Assert.ThrowsAny<ArgumentException>(() => references.GetGrain<IApiKeyGrain>(" "));
    }

    private static void AssertSame(IAddressable expected, IAddressable actual)
    {
        var (e, a) = ((GrainReference)expected, (GrainReference)actual);
        Assert.Equal(e.GrainId, a.GrainId);
        Assert.Equal(e.InterfaceType, a.InterfaceType);
        Assert.Equal(expected.GetType(), actual.GetType());
    }
}
