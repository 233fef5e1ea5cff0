using Sources.Silo.Grains;
using Sources.Silo.Grains.Keys;
using Sources.TestServers;

namespace Sources.Silo.Tests.Storage;

/// <summary>
/// After PostgreSQL restarts (or an operator ends its sessions), every idle connection in the grain
/// storage's pool is dead: the first grain read on one must not fail the call that needed it (a key
/// check would be a 503). The server ends the silo's sessions here as a restart would.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class GrainStorageRestartTests(PostgresServer server)
{
    [Fact]
    public async Task A_key_lookup_right_after_the_database_dropped_every_connection_reads_the_key()
    {
        await using var database = await TestDatabase.PostgresAsync(server);
        await using var silo = await SiloHost.StartStorage(database.Options);
        var keys = await CreateKeys(silo);

        Assert.Equal("acme", await Node(silo).Verify(keys[^1]));
        var ended = await database.RowsAsync(
            "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        Assert.Contains("true", ended);

        // A node that never saw the keys looks each up in storage before it asks the key's grain.
        var fresh = Node(silo);
        foreach (var key in keys[..^1])
            Assert.Equal("acme", await fresh.Verify(key));
    }

    /// <summary>Keys created at once, so the pool holds several idle connections when the server goes.</summary>
    private static Task<string[]> CreateKeys(SiloHost silo)
    {
        var node = Node(silo);
        return Task.WhenAll(Enumerable.Range(0, 4).Select(_ => node.Create("acme")));
    }

    private static ApiKeys Node(SiloHost silo) => new(new GrainReferences(silo.Grains), TimeProvider.System);
}
