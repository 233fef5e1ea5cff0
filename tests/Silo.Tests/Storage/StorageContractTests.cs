using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Sources.Silo.Storage;

namespace Sources.Silo.Tests.Storage;

/// <summary>
/// What the storage layer promises, proven against a real database; each mode runs the same tests
/// through a subclass that supplies its database.
/// </summary>
public abstract class StorageContractTests : IAsyncLifetime
{
    private TestDatabase? database;

    protected TestDatabase Database => database ?? throw new InvalidOperationException("Not initialised.");

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync() => database = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task State_and_reminders_survive_a_silo_restart()
    {
        await using (var silo = await SiloRunner.StartAsync(Database.Options))
        {
            var grain = silo.Grains.GetGrain<IProbeGrain>(7);
            await grain.Set("kept");
            await grain.RegisterReminder("recheck");
        }

        await using (var silo = await SiloRunner.StartAsync(Database.Options))
        {
            var grain = silo.Grains.GetGrain<IProbeGrain>(7);
            var snapshot = await grain.Get();
            Assert.Equal("kept", snapshot.Value);
            Assert.True(snapshot.RecordExists);
            Assert.Equal(["recheck"], await grain.ReminderNames());

            // The ETag read back after the restart is the current one: the grain can go on writing.
            await grain.Set("changed");
            Assert.Equal("changed", (await grain.Get()).Value);
        }

        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM sources_grain_state WHERE grain_key_n1 = 7"));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM sources_reminder WHERE reminder_name = 'recheck'"));
    }

    [Fact]
    public async Task A_reminder_can_be_unregistered()
    {
        await using var silo = await SiloRunner.StartAsync(Database.Options);
        var grain = silo.Grains.GetGrain<IProbeGrain>(9);
        await grain.RegisterReminder("first");
        await grain.RegisterReminder("second");
        await grain.RegisterReminder("second");

        await grain.UnregisterReminder("first");

        Assert.Equal(["second"], await grain.ReminderNames());
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM sources_reminder"));
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_rejected()
    {
        await using var silo = await SiloRunner.StartAsync(Database.Options);
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
        await using var silo = await SiloRunner.StartAsync(Database.Options);
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
        Assert.Equal([1, 2, 5], await migrator.MigrateAsync());
        var before = await Database.SchemaSnapshotAsync();

        Assert.Empty(await migrator.MigrateAsync());

        Assert.Equal(before, await Database.SchemaSnapshotAsync());
    }

    [Fact]
    public async Task Migrators_started_together_apply_each_script_once()
    {
        var runs = await Task.WhenAll(
            Enumerable.Range(0, 4).Select(_ => new SchemaMigrator(Database.Options).MigrateAsync()));

        Assert.Equal([1, 2, 5], runs.SelectMany(applied => applied).Order());
        Assert.Equal(3, await Database.CountAsync("SELECT COUNT(*) FROM sources_schema_version"));
    }
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
