using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Grains.Idempotency;
using Sources.Silo.Storage;

namespace Sources.Silo.Tests.Storage;

/// <summary>
/// Idempotency records go once their window is over, on each engine: rows last written more than
/// the retention ago are deleted, younger ones stay, and a key whose row went under a live
/// activation can be claimed again.
/// </summary>
public abstract class IdempotencyExpiryTests : IAsyncLifetime
{
    private const string Rows = "SELECT COUNT(*) FROM sources_grain_state WHERE grain_type = 'idempotency'";

    private TestDatabase? _database;

    private TestDatabase Database => _database!;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync() => _database = await CreateDatabaseAsync();

    public async Task DisposeAsync() => await _database!.DisposeAsync();

    private static byte[] Body(byte b) => [b, b, b];

    [Fact]
    public async Task Records_older_than_the_retention_are_deleted_and_younger_ones_stay()
    {
        // The rows are stamped by the database's clock; the sweep's cutoff comes from its own.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var before = DateTimeOffset.UtcNow;
        await using var silo = await SiloHost.StartStorage(Database.Options, clock);
        await silo.Grains.GetGrain<IIdempotencyGrain>("acme\nfirst").Claim(Body(1));
        await silo.Grains.GetGrain<IIdempotencyGrain>("acme\nsecond").Claim(Body(2));
        await silo.Grains.GetGrain<IIdempotencyGrain>("acme\nsecond").Complete(Body(2), new StoredResponse(201, "{}", "/x"));
        await using (var other = await SiloHost.StartStorage(Database.Options with { ServiceId = "other", ClusterId = "other" }))
            await other.Grains.GetGrain<IIdempotencyGrain>("acme\nfirst").Claim(Body(1));
        var after = DateTimeOffset.UtcNow;
        await using var expiry = new IdempotencyExpiry(Database.Options, clock);

        // Ten minutes short of the retention for the earliest row: nothing goes.
        clock.SetUtcNow(before + IdempotencyExpiry.Retention - TimeSpan.FromMinutes(10));
        await expiry.DeleteExpired();
        Assert.Equal(3, await Database.CountAsync(Rows));

        // Ten minutes past it for the latest row: this service's rows go, another service's stay.
        clock.SetUtcNow(after + IdempotencyExpiry.Retention + TimeSpan.FromMinutes(10));
        await expiry.DeleteExpired();
        Assert.Equal(1, await Database.CountAsync(Rows));
        Assert.Equal(1, await Database.CountAsync(Rows + " AND service_id = 'other'"));
    }

    [Fact]
    public async Task A_key_whose_record_was_deleted_under_its_activation_can_be_claimed_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await SiloHost.StartStorage(Database.Options, clock);
        var key = silo.Grains.GetGrain<IIdempotencyGrain>("acme\nretried");
        Assert.Equal(ClaimOutcome.Proceed, (await key.Claim(Body(1))).Outcome);
        await key.Complete(Body(1), new StoredResponse(201, "{}", "/1"));
        Assert.Equal(ClaimOutcome.Replay, (await key.Claim(Body(1))).Outcome);

        clock.Advance(IdempotencyExpiry.Retention + TimeSpan.FromMinutes(10));
        await using (var expiry = new IdempotencyExpiry(Database.Options, clock))
            await expiry.DeleteExpired();
        Assert.Equal(0, await Database.CountAsync(Rows));

        // The activation still holds the old record and its version; the row is gone.
        Assert.Equal(ClaimOutcome.Proceed, (await key.Claim(Body(2))).Outcome);
        Assert.Equal(ClaimOutcome.InProgress, (await key.Claim(Body(2))).Outcome);
        Assert.Equal(ClaimOutcome.Conflict, (await key.Claim(Body(1))).Outcome);
        Assert.Equal(1, await Database.CountAsync(Rows));
    }
}

public sealed class EmbeddedIdempotencyExpiryTests : IdempotencyExpiryTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Embedded());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresIdempotencyExpiryTests(Sources.TestServers.PostgresServer server) : IdempotencyExpiryTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgresAsync(server);
}
