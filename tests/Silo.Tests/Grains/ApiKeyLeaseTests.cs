using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Grains.Keys;

namespace Sources.Silo.Tests.Grains;

/// <summary>
/// Each node answers a key it verified from memory for a short lease; a revoke made anywhere
/// returns only once no node would still accept the key. Two <see cref="ApiKeys"/> here are two
/// nodes: each keeps its own memory, both reach the same key grains. One fake clock runs the silo
/// and the nodes, so a lease passes when the test moves it.
/// </summary>
public sealed class ApiKeyLeaseTests : KeyNodesTest
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    private readonly FakeTimeProvider _time = new();

    protected override TimeProvider SiloTime => _time;

    private ApiKeys Node() => Node(_time);

    private static string IdOf(string key) => key.Split('_')[1];

    /// <summary>Moves the clock on in steps until <paramref name="revoke"/> returns; how far it moved.</summary>
    private async Task<(T Result, TimeSpan Moved)> AdvanceUntilDone<T>(Task<T> revoke)
    {
        var moved = TimeSpan.Zero;
        // Poll interval only: the revoke's own timer, on the fake clock, decides when it returns.
        while (await Task.WhenAny(revoke, Task.Delay(TimeSpan.FromMilliseconds(10))) != revoke)
        {
            _time.Advance(Step);
            moved += Step;
        }
        return (await revoke, moved);
    }

    [Fact]
    public async Task A_node_answers_a_verified_key_from_memory_until_its_lease_ends_then_asks_the_grain()
    {
        var node = Node();
        var key = await node.Create("acme");
        Assert.Equal("acme", await node.Verify(key));
        // Revoked at the grain without the revoke's wait: only the node's lease still says yes.
        Assert.True((await Silo.Grains.GetGrain<IApiKeyGrain>(IdOf(key)).Revoke()).Revoked);

        _time.Advance(ApiKeys.Lease - TimeSpan.FromMilliseconds(1));
        Assert.Equal("acme", await node.Verify(key));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await node.Verify(key));
    }

    [Fact]
    public async Task A_key_trusted_on_one_node_is_refused_there_as_soon_as_a_revoke_on_another_returns()
    {
        var (first, second) = (Node(), Node());
        var key = await second.Create("acme");
        Assert.Equal("acme", await first.Verify(key));
        Assert.Equal("acme", await first.Verify(key));

        var (revoked, waited) = await AdvanceUntilDone(second.Revoke([IdOf(key)]));
        Assert.Equal(new[] { true }, revoked);
        Assert.True(waited >= ApiKeys.Lease, $"the revoke returned after {waited} of the lease");

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

        Assert.Equal(new[] { true, true, true, false }, (await AdvanceUntilDone(node.Revoke([.. keys.Select(IdOf), "nosuchkey"]))).Result);
        Assert.Equal(new[] { false }, await node.Revoke([IdOf(keys[0])]));
        foreach (var key in keys)
            Assert.Null(await node.Verify(key));
    }
}
