using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Sources.Silo.Storage;

namespace Sources.Silo.Tests.Storage;

/// <summary>
/// What the storage layer promises, proven against a real database; each mode runs the same tests
/// through a subclass that supplies its database.
/// </summary>
public abstract class StorageContractTests : IAsyncLifetime
{
    private TestDatabase? _database;

    protected TestDatabase Database => _database ?? throw new InvalidOperationException("Not initialised.");

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync() => _database = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task State_survives_a_silo_restart()
    {
        await using (var silo = await SiloHost.StartStorage(Database.Options))
        {
            var grain = silo.Grains.GetGrain<IProbeGrain>(7);
            await grain.Set("kept");
        }

        await using (var silo = await SiloHost.StartStorage(Database.Options))
        {
            var grain = silo.Grains.GetGrain<IProbeGrain>(7);
            var snapshot = await grain.Get();
            Assert.Equal("kept", snapshot.Value);
            Assert.True(snapshot.RecordExists);

            // The ETag read back after the restart is the current one: the grain can go on writing.
            await grain.Set("changed");
            Assert.Equal("changed", (await grain.Get()).Value);
        }

        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM sources_grain_state WHERE grain_key_n1 = 7"));
    }

    [Fact]
    public async Task No_reminder_table_or_statement_is_left()
    {
        await using var silo = await SiloHost.StartStorage(Database.Options);

        Assert.DoesNotContain("sources_reminder", await Database.TablesAsync());
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey LIKE '%Reminder%' OR QueryKey LIKE 'ReadRangeRows%'"));
        // The grain storage's statements stay (the silo above started on them).
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM OrleansQuery WHERE QueryKey = 'ReadFromStorageKey'"));
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_rejected()
    {
        await using var silo = await SiloHost.StartStorage(Database.Options);
        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(SourcesStorageExtensions.StorageName);
        var id = GrainId.Create("probe", "stale-etag");

        var first = new GrainState<ProbeState>(new ProbeState { Value = "one" });
        await storage.WriteStateAsync("probe", id, first);
        var staleETag = first.ETag;

        var second = new GrainState<ProbeState>(new ProbeState { Value = "two" }) { ETag = staleETag };
        await storage.WriteStateAsync("probe", id, second);
        Assert.NotEqual(staleETag, second.ETag);

        var stale = new GrainState<ProbeState>(new ProbeState { Value = "lost" }) { ETag = staleETag };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", id, stale));

        // Writing as if the row were new is just as stale.
        var blind = new GrainState<ProbeState>(new ProbeState { Value = "lost" });
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("probe", id, blind));

        var read = new GrainState<ProbeState>();
        await storage.ReadStateAsync("probe", id, read);
        Assert.Equal("two", read.State?.Value);
        Assert.Equal(second.ETag, read.ETag);
    }

    [Fact]
    public async Task Clear_removes_the_row()
    {
        await using var silo = await SiloHost.StartStorage(Database.Options);
        var grain = silo.Grains.GetGrain<IProbeGrain>(8);
        await grain.Set("doomed");
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM sources_grain_state WHERE grain_key_n1 = 8"));

        await grain.Clear();

        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM sources_grain_state WHERE grain_key_n1 = 8"));
        Assert.Equal(new ProbeSnapshot(null, null, false), await grain.Get());

        // A cleared grain starts over as a new row.
        await grain.Set("again");
        Assert.Equal("again", (await grain.Get()).Value);
    }

    [Fact]
    public async Task Migrating_twice_changes_nothing()
    {
        var migrator = new SchemaMigrator(Database.Options);
        Assert.Equal(Versions, await migrator.MigrateAsync());
        var before = await Database.SchemaSnapshotAsync();

        Assert.Empty(await migrator.MigrateAsync());

        Assert.Equal(before, await Database.SchemaSnapshotAsync());
    }

    [Fact]
    public async Task Migrators_started_together_apply_each_script_once()
    {
        var runs = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(_ => new SchemaMigrator(Database.Options).MigrateAsync()));

        Assert.Equal(Versions, runs.SelectMany(applied => applied).Order());
        Assert.Equal(Versions.Length, await Database.CountAsync("SELECT COUNT(*) FROM sources_schema_version"));
    }

    /// <summary>Every schema version, oldest first: the Orleans tables, the sources table, the listing's
    /// columns, no reminders, the discovery's pages, the marks of heavy checks.</summary>
    private static readonly int[] Versions = [1, 2, 3, 4, 5, 6];
}

public sealed class EmbeddedStorageTests : StorageContractTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Embedded());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageTests(Sources.TestServers.PostgresServer server) : StorageContractTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgresAsync(server);
}
