using Orleans.Storage;
using Sources.Silo.Storage;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Tests.Storage;

/// <summary>
/// The sources table behind the source grains, on each engine: writes that share a commit
/// each get their own answer, a stale writer changes nothing, and a due check is claimed once.
/// </summary>
public abstract class SourceStoreTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private SourceStore? _store;

    private TestDatabase Database => _database!;
    private SourceStore Store => _store!;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    /// <summary>Storage options naming a database that cannot be opened.</summary>
    protected abstract StorageOptions Unreachable();

    /// <summary>Stops the database server and starts it again, where there is one.</summary>
    protected abstract Task RestartDatabaseAsync();

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        await new SchemaMigrator(Database.Options).MigrateAsync();
        _store = new SourceStore(Database.Options);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    private static SourceRow Row(long id, string account = "acme", string type = "POSTGRES", DateTimeOffset? due = null) =>
        new(id, account, type, [1, 2, (byte)id], due ?? DateTimeOffset.UnixEpoch.AddDays(1), Columns);

    private static readonly SourceColumns Columns =
        new("pending", null, "PostgreSQL", "postgresql", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null);

    [Fact]
    public async Task Concurrent_writes_each_get_their_own_answer_and_all_are_stored()
    {
        var inserts = Enumerable.Range(1, 100).Select(id => Store.Insert(Row(id))).ToArray();
        Assert.All(await Task.WhenAll(inserts), version => Assert.Equal(1, version));

        // Again at once: a taken id, a stale update and good updates, sharing commits as they may.
        var taken = Store.Insert(Row(1));
        var stale = Store.Update(Row(2), version: 7);
        var updates = Enumerable.Range(3, 50).Select(id => Store.Update(Row(id) with { Payload = [9] }, version: 1)).ToArray();

        Assert.Null(await taken);
        await Assert.ThrowsAsync<InconsistentStateException>(() => stale);
        Assert.All(await Task.WhenAll(updates), version => Assert.Equal(2, version));
        Assert.Equal(100, await Database.CountAsync("SELECT COUNT(*) FROM sources_source"));
        Assert.Equal(new byte[] { 9 }, (await Store.Read(3))!.Row.Payload);
        Assert.Equal(2, (await Store.Read(3))!.Version);
        Assert.Equal(new byte[] { 1, 2, 2 }, (await Store.Read(2))!.Row.Payload);
    }

    [Fact]
    public async Task A_write_that_fails_fails_alone()
    {
        var good = Enumerable.Range(1, 40).Select(id => Store.Insert(Row(id))).ToArray();
        var bad = Store.Insert(Row(1000) with { Payload = null! });
        var more = Enumerable.Range(41, 40).Select(id => Store.Insert(Row(id))).ToArray();

        await Assert.ThrowsAnyAsync<Exception>(() => bad);
        Assert.All(await Task.WhenAll(good.Concat(more)), version => Assert.Equal(1, version));
        Assert.Equal(80, await Database.CountAsync("SELECT COUNT(*) FROM sources_source"));
    }

    [Fact]
    public async Task When_the_database_cannot_be_reached_every_write_fails_with_a_database_error()
    {
        await using var store = new SourceStore(Unreachable());

        var writes = Enumerable.Range(1, 20).Select(id => store.Insert(Row(id))).ToArray();

        foreach (var write in writes)
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => write);
    }

    [Fact]
    public async Task After_the_database_restarts_reads_and_writes_go_on_without_an_error()
    {
        // Several pooled connections in use, then idle, when the server goes away.
        await Task.WhenAll(Enumerable.Range(1, 20).Select(id => Store.Insert(Row(id))));
        await Task.WhenAll(Enumerable.Range(1, 20).Select(id => Store.Read(id)));

        await RestartDatabaseAsync();

        // The throw-away server runs without synchronous commits, so what was written just before it
        // stopped may be gone; what matters is that nothing fails.
        var stored = await Task.WhenAll(Enumerable.Range(1, 20).Select(id => Store.Read(id)));
        Assert.All(stored.OfType<StoredRow>(), row => Assert.Equal(Columns, row.Row.Columns));
        Assert.All(await Task.WhenAll(Enumerable.Range(21, 20).Select(id => Store.Insert(Row(id)))), version => Assert.Equal(1, version));
        Assert.Equal(2, await Store.Update(Row(21) with { Payload = [3] }, version: 1));
        Assert.Empty(await Store.ClaimDue(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 10));
    }

    [Fact]
    public async Task A_row_written_without_its_listing_columns_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Insert(Row(1) with { Columns = null }));
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM sources_source"));
    }

    [Fact]
    public async Task The_listing_columns_are_written_with_each_insert_and_update()
    {
        var later = Columns with { Status = "healthy", UpdatedAt = DateTimeOffset.UnixEpoch.AddDays(2), NextCheckAt = DateTimeOffset.UnixEpoch.AddDays(3) };
        await Store.Insert(Row(1));
        Assert.Equal(Columns, (await Store.Read(1))!.Row.Columns);

        await Store.Update(Row(1) with { Columns = later }, version: 1);

        Assert.Equal(later, (await Store.Read(1))!.Row.Columns);
    }

    [Fact]
    public async Task A_due_check_is_claimed_by_one_sweep_and_not_again_until_its_lease_ends()
    {
        var now = DateTimeOffset.UtcNow;
        for (var id = 1; id <= 60; id++)
            await Store.Insert(Row(id, due: now.AddSeconds(id <= 50 ? -1 : 60)));
        var leaseUntil = now.AddSeconds(30);

        var sweeps = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Store.ClaimDue(now, leaseUntil, limit: 20)));

        var claimed = sweeps.SelectMany(ids => ids).ToList();
        Assert.Equal(claimed.Distinct().Count(), claimed.Count);
        Assert.All(claimed, id => Assert.InRange(id, 1, 50));
        var rest = await Store.ClaimDue(now, leaseUntil, limit: 100);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), claimed.Concat(rest).Order());
        Assert.Empty(await Store.ClaimDue(now, leaseUntil, limit: 100));
        Assert.Equal(50, (await Store.ClaimDue(leaseUntil, leaseUntil.AddSeconds(30), limit: 100)).Length);
    }

    [Fact]
    public async Task A_claim_leaves_the_due_checks_of_the_accounts_it_skips()
    {
        var now = DateTimeOffset.UtcNow;
        string[] accounts = ["crowd", "o'neil \"quoted\", ünï", "other"];
        for (var id = 1; id <= 30; id++)
            await Store.Insert(Row(id, account: accounts[id % 3], due: now.AddSeconds(-id)));

        var claimed = await Store.ClaimDue(now, now.AddSeconds(30), limit: 100, skip: ["crowd", accounts[1]]);

        Assert.Equal(Enumerable.Range(1, 30).Where(id => id % 3 == 2).Select(id => (long)id), claimed.Order());
        Assert.Equal(20, (await Store.ClaimDue(now, now.AddSeconds(30), limit: 100)).Length);
    }
}

public sealed class EmbeddedSourceStoreTests : SourceStoreTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Embedded());

    // A data directory below a file: SQLite cannot create the database there.
    protected override StorageOptions Unreachable() => new() { Mode = StorageMode.Embedded, DataDirectory = Path.Combine(Path.GetTempFileName(), "data") };

    // In process: there is no server to restart.
    protected override Task RestartDatabaseAsync() => Task.CompletedTask;
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSourceStoreTests(Sources.TestServers.PostgresServer server) : SourceStoreTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgresAsync(server);

    // A loopback port nobody listens on: refused at once.
    protected override StorageOptions Unreachable() =>
        new() { Mode = StorageMode.Postgres, ConnectionString = $"Host=127.0.0.1;Port={Sources.TestServers.FreePort.Next()};Username=postgres;Timeout=5" };

    protected override async Task RestartDatabaseAsync()
    {
        await server.StopAsync();
        await server.StartAgainAsync();
    }
}
