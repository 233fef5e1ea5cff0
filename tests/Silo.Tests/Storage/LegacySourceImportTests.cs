using Orleans;
using Orleans.Runtime;
using Orleans.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Storage;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Tests.Storage;

/// <summary>Writes a source the way schema version 1 stored it: generic grain state named "source".</summary>
public interface ILegacySourceGrain : IGrainWithIntegerKey
{
    Task Store(SourceRecord record);
}

public sealed class LegacySourceGrain(
    [PersistentState("source", SourcesStorageExtensions.StorageName)] IPersistentState<SourceRecord> state) : Grain, ILegacySourceGrain
{
    public Task Store(SourceRecord record)
    {
        state.State = record;
        return state.WriteStateAsync();
    }
}

/// <summary>Sources stored by version 1 are carried into the sources table at start-up, nothing lost, nothing twice.</summary>
public abstract class LegacySourceImportTests : IAsyncLifetime
{
    private TestDatabase? _database;

    private TestDatabase Database => _database!;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync() => _database = await CreateDatabaseAsync();

    public async Task DisposeAsync() => await _database!.DisposeAsync();

    [Fact]
    public async Task Version_1_sources_move_into_the_table_oldest_first_and_their_old_rows_go()
    {
        var created = DateTimeOffset.UnixEpoch.AddYears(56);
        var records = new[] { 12L, 11, 13 }.Select((id, i) => new SourceRecord
        {
            Id = id, Account = "acme", Type = "POSTGRES", SettingsJson = $$"""{"hostname":"h{{id}}"}""",
            CreatedAt = created.AddMinutes(i), UpdatedAt = created.AddMinutes(i), Version = 1,
        }).ToArray();
        await using (var old = await SiloRunner.StartAsync(Database.Options))
        {
            foreach (var record in records)
                await old.Grains.GetGrain<ILegacySourceGrain>(record.Id).Store(record);
        }
        Assert.Equal(3, await Database.CountAsync("SELECT COUNT(*) FROM sources_grain_state WHERE grain_type = 'source'"));

        await using (var upgraded = await SiloRunner.StartAsync(Database.Options))
        {
            Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM sources_grain_state WHERE grain_type = 'source'"));
            await using var store = new SourceStore(Database.Options);
            await using var listing = new SourceListingStore(Database.Options);
            var serializer = upgraded.Services.GetRequiredService<Serializer<SourceRecord>>();
            var listed = await listing.Page(new SourcePageQuery("acme", long.MaxValue, 10, null, null, null, created, created));
            Assert.Equal([13L, 11, 12], listed.Select(e => serializer.Deserialize(e.Payload)!.Id));
            foreach (var record in records)
                Assert.Equal(record.SettingsJson, serializer.Deserialize((await store.Read(record.Id))!.Row.Payload)!.SettingsJson);
        }

        // A second start finds nothing left to carry over and changes nothing.
        await using (await SiloRunner.StartAsync(Database.Options))
            Assert.Equal(3, await Database.CountAsync("SELECT COUNT(*) FROM sources_source"));
    }
}

public sealed class EmbeddedLegacySourceImportTests : LegacySourceImportTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Embedded());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresLegacySourceImportTests(Sources.TestServers.PostgresServer server) : LegacySourceImportTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgresAsync(server);
}
