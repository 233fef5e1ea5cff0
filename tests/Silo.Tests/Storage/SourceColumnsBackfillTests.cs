using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Tests.Storage;

/// <summary>
/// Rows stored before the listing's columns existed get them from their payload when a node starts,
/// so an older source is found by every filter as a new one is; a row that cannot be read stays listed.
/// </summary>
public abstract class SourceColumnsBackfillTests : IAsyncLifetime
{
    private TestDatabase? _database;

    private TestDatabase Database => _database!;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync() => _database = await CreateDatabaseAsync();

    public async Task DisposeAsync() => await _database!.DisposeAsync();

    [Fact]
    public async Task A_start_fills_the_columns_of_rows_stored_without_them_from_their_payload()
    {
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        var records = new[]
        {
            new SourceRecord { Id = 1, Account = "acme", Type = "POSTGRES", AccountName = "Warehouse", CreatedAt = now, UpdatedAt = now },
            new SourceRecord
            {
                Id = 2, Account = "acme", Type = "MYSQL", AccountName = "Shop", CreatedAt = now, UpdatedAt = now.AddHours(1),
                LastProbe = ProbeResult.Succeeded("8.4", "{}", []), NextCheckAt = now.AddHours(2), CredentialExpiresAt = now.AddDays(2),
            },
        };
        await using (var silo = await SiloHost.StartStorage(Database.Options))
        {
            var serializer = silo.Services.GetRequiredService<Serializer<SourceRecord>>();
            await using var store = new SourceStore(Database.Options);
            foreach (var record in records)
                await store.Insert(new SourceRow(record.Id, record.Account, record.Type, serializer.SerializeToArray(record), now, SourceColumns.Of(record)));
            await store.Insert(new SourceRow(3, "acme", "POSTGRES", [1, 2, 3], now, SourceColumns.Of(records[0] with { Id = 3 })));
        }
        // As a version 2 node left them.
        await Database.RowsAsync("""
            UPDATE sources_source SET status = NULL, credential_expires_at = NULL, account_name = NULL, name_folded = NULL,
                created_at = NULL, updated_at = NULL, next_check_at = NULL
            """);

        await using (await SiloHost.StartStorage(Database.Options))
        {
            await using var store = new SourceStore(Database.Options);
            foreach (var record in records)
                Assert.Equal(SourceColumns.Of(record), (await store.Read(record.Id))!.Row.Columns);
            Assert.Null((await store.Read(3))!.Row.Columns);
            Assert.Equal(1, (await store.Read(2))!.Version);

            await using var listing = new SourceListingStore(Database.Options);
            var warnUntil = now + new ProbeSettings().ExpiryWarning;
            Assert.Equal(3, (await listing.Page(new SourcePageQuery("acme", long.MaxValue, 10, null, null, null, now, warnUntil))).Length);
            var degraded = await listing.Page(new SourcePageQuery("acme", long.MaxValue, 10, null, SourceStatus.Degraded, "sho", now, warnUntil));
            Assert.Single(degraded);
        }
    }
}

public sealed class EmbeddedSourceColumnsBackfillTests : SourceColumnsBackfillTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Embedded());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSourceColumnsBackfillTests(Sources.TestServers.PostgresServer server) : SourceColumnsBackfillTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgresAsync(server);
}
