using Sources.Silo.Grains.Keys;

namespace Sources.Silo.Tests.Grains;

/// <summary>
/// Each node answers a key it verified from memory for a short lease; a revoke made anywhere
/// returns only once no node would still accept the key. Two <see cref="ApiKeys"/> here are two
/// nodes: each keeps its own memory, both reach the same key grains.
/// </summary>
public sealed class ApiKeyLeaseTests : KeyNodesTest
{
    private static string IdOf(string key) => key.Split('_')[1];

    [Fact]
    public async Task A_key_trusted_on_one_node_is_refused_there_as_soon_as_a_revoke_on_another_returns()
    {
        var (first, second) = (Node(), Node());
        var key = await second.Create("acme");
        Assert.Equal("acme", await first.Verify(key));
        Assert.Equal("acme", await first.Verify(key));

        Assert.Equal(new[] { true }, await second.Revoke([IdOf(key)]));

        Assert.Null(await first.Verify(key));
        Assert.Null(await second.Verify(key));
        Assert.Null(await Node().Verify(key));
    }

    [Fact]
    public async Task A_trusted_key_id_with_another_secret_is_refused()
    {
        var node = Node();
        var key = await node.Create("acme");
        Assert.Equal("acme", await node.Verify(key));

        Assert.Null(await node.Verify(key[..key.LastIndexOf('_')] + "_not-the-secret"));
        Assert.Equal("acme", await node.Verify(key));
    }

    [Fact]
    public async Task Revoking_several_keys_reports_each_and_a_second_revoke_finds_none_live()
    {
        var node = Node();
        var keys = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => node.Create("acme")));
        foreach (var key in keys)
            Assert.Equal("acme", await node.Verify(key));

        Assert.Equal(new[] { true, true, true, false }, await node.Revoke([.. keys.Select(IdOf), "nosuchkey"]));
        Assert.Equal(new[] { false }, await node.Revoke([IdOf(keys[0])]));
        foreach (var key in keys)
            Assert.Null(await node.Verify(key));
    }
}
