using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Storage;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Tests.Storage;

/// <summary>
/// A listing page straight from the sources table, on each engine: the account's own sources,
/// newest first, by type, by status as of now (a credential's expiry laid over the stored status
/// exactly as a get shows it), by name, and a cursor that neither skips nor repeats while sources
/// come and go.
/// </summary>
public abstract class SourceListingStoreTests : IAsyncLifetime
{
    private static readonly ProbeSettings Settings = new();
    // Whole milliseconds, as the listing takes its now.
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Created = Now.AddDays(-1);

    private TestDatabase? _database;
    private SourceStore? _store;
    private SourceListingStore? _listing;

    private SourceStore Store => _store!;
    private SourceListingStore Listing => _listing!;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public async Task InitializeAsync()
    {
        _database = await CreateDatabaseAsync();
        await new SchemaMigrator(_database.Options).MigrateAsync();
        _store = new SourceStore(_database.Options);
        _listing = new SourceListingStore(_database.Options);
    }

    public async Task DisposeAsync()
    {
        if (_listing is not null) await _listing.DisposeAsync();
        if (_store is not null) await _store.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    /// <summary>A source as its grain writes it; the payload holds only the id, which is what these tests read back.</summary>
    private Task<int?> Insert(SourceRecord record) =>
        Store.Insert(new SourceRow(record.Id, record.Account, record.Type, BitConverter.GetBytes(record.Id), Created, SourceColumns.Of(record)));

    private Task<int?> Insert(long id, string account = "acme", string type = "POSTGRES", string name = "PostgreSQL", ProbeResult? probe = null,
        DateTimeOffset? expires = null) =>
        Insert(new SourceRecord
        {
            Id = id, Account = account, Type = type, AccountName = name, LastProbe = probe, CredentialExpiresAt = expires,
            CreatedAt = Created, UpdatedAt = Created,
        });

    private async Task<(long[] Ids, long Last)> Page(string? type = null, string? status = null, string? search = null,
        long before = long.MaxValue, int limit = 100, string account = "acme")
    {
        var rows = await Listing.Page(new SourcePageQuery(account, before, limit, type, status, search, Now, Now + Settings.ExpiryWarning));
        Assert.True(rows.Zip(rows.Skip(1)).All(pair => pair.First.Sequence > pair.Second.Sequence), "newest first");
        return (rows.Select(row => BitConverter.ToInt64(row.Payload)).ToArray(), rows.Length == 0 ? 0 : rows[^1].Sequence);
    }

    private static ProbeResult Ok(params string[] warnings) => ProbeResult.Succeeded("16.0", "{}", warnings);

    [Fact]
    public async Task Listing_is_the_account_s_own_newest_first_by_type_and_cursor()
    {
        foreach (var id in new long[] { 30, 10, 20 })
            await Insert(id, type: id == 20 ? "MYSQL" : "POSTGRES");
        await Insert(40, account: "other");

        var all = await Page();
        Assert.Equal(new long[] { 20L, 10, 30 }, all.Ids);
        var first = await Page(limit: 1);
        Assert.Equal(new long[] { 20L }, first.Ids);
        Assert.Equal(new long[] { 10L, 30 }, (await Page(before: first.Last)).Ids);
        Assert.Equal(new long[] { 10L, 30 }, (await Page(type: "POSTGRES")).Ids);
        Assert.Empty((await Page(type: "MSSQL")).Ids);
        Assert.Empty((await Page(account: "nobody")).Ids);

        await Store.Delete(10);
        Assert.Equal(new long[] { 20L, 30 }, (await Page()).Ids);
    }

    [Fact]
    public async Task An_account_s_count_is_its_own_sources_and_drops_with_a_delete()
    {
        foreach (var id in new long[] { 1, 2, 3 })
            await Insert(id);
        await Insert(4, account: "other");
        Assert.Equal(3, await Listing.Count("acme"));

        await Store.Delete(2);

        Assert.Equal(2, await Listing.Count("acme"));
        Assert.Equal(1, await Listing.Count("other"));
        Assert.Equal(0, await Listing.Count("nobody"));
    }

    [Fact]
    public async Task The_status_filter_is_the_status_as_of_now_exactly_as_a_get_shows_it()
    {
        // Every stored status against credentials that expire around now and around the warning's edge.
        ProbeResult?[] probes = [null, Ok(), Ok("schema sales does not exist"), ProbeResult.Failed(ProbeOutcome.AuthFailed, "no"),
            ProbeResult.Failed(ProbeOutcome.AwaitingKeyRegistration, "register the key")];
        var warning = Settings.ExpiryWarning;
        TimeSpan?[] expiries = [null, TimeSpan.FromDays(-3), TimeSpan.FromMilliseconds(-1), TimeSpan.Zero, TimeSpan.FromTicks(5_000),
            TimeSpan.FromMilliseconds(1), warning - TimeSpan.FromMilliseconds(1), warning, warning + TimeSpan.FromTicks(5_000),
            warning + TimeSpan.FromMilliseconds(1), warning * 3];
        var records = new List<SourceRecord>();
        foreach (var probe in probes)
            foreach (var expiry in expiries)
            {
                var record = new SourceRecord
                {
                    Id = records.Count + 1, Account = "acme", Type = "POSTGRES", AccountName = "PostgreSQL", LastProbe = probe,
                    CredentialExpiresAt = Now + expiry, CreatedAt = Created, UpdatedAt = Created,
                };
                records.Add(record);
                await Insert(record);
            }
        // The Snowflake source on a generated key pair that no probe has proven yet.
        var unproven = new SourceRecord
        {
            Id = 1000, Account = "acme", Type = "SNOWFLAKE", AccountName = "Snowflake", SettingsJson = """{"public_key":"MIIB"}""",
            CreatedAt = Created, UpdatedAt = Created,
        };
        records.Add(unproven);
        await Insert(unproven);

        string[] statuses = [SourceStatus.Pending, SourceStatus.Healthy, SourceStatus.Degraded, SourceStatus.Failing, SourceStatus.AwaitingKeyRegistration];
        var listed = new List<long>();
        foreach (var status in statuses)
        {
            var expected = records.Where(r => SourceHealth.StatusAt(r, Now, Settings) == status).Select(r => r.Id).OrderDescending().ToArray();
            Assert.NotEmpty(expected);
            var (ids, _) = await Page(status: status);
            Assert.Equal(expected, ids);
            listed.AddRange(ids);
        }
        Assert.Equal(records.Select(r => r.Id).Order(), listed.Order());
    }

    [Fact]
    public async Task A_status_that_an_expiry_brings_about_pages_by_cursor_across_both_of_its_causes()
    {
        // Failing by its last probe, and failing by a credential that expired: interleaved in creation order.
        for (var id = 1; id <= 40; id++)
            await Insert(id, probe: id % 2 == 0 ? ProbeResult.Failed(ProbeOutcome.Unreachable, "no") : Ok(), expires: id % 2 == 0 ? null : Now.AddHours(-id));
        await Insert(41, probe: Ok());

        var seen = new List<long>();
        for (var before = long.MaxValue; ;)
        {
            var (ids, last) = await Page(status: SourceStatus.Failing, before: before, limit: 7);
            seen.AddRange(ids);
            if (ids.Length < 7) break;
            before = last;
        }

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i).OrderDescending(), seen);
    }

    [Fact]
    public async Task The_name_search_is_a_substring_in_any_letter_case_with_wildcards_taken_as_they_are()
    {
        await Insert(1, name: "Analytics-PROD");
        await Insert(2, name: "prod_eu", type: "MYSQL");
        await Insert(3, name: "100% sales");
        await Insert(4, name: "Staging");
        await Insert(5, name: "Ünïcode Warehouse", probe: Ok());
        await Insert(6, name: "production", account: "other");
        await Insert(7, name: "prodXeu", type: "MYSQL", probe: Ok());

        Assert.Equal(new long[] { 7L, 2, 1 }, (await Page(search: "prod")).Ids);
        Assert.Equal(new long[] { 7L, 2, 1 }, (await Page(search: "PROD")).Ids);
        Assert.Equal(new long[] { 2L }, (await Page(search: "d_e")).Ids);
        Assert.Equal(new long[] { 3L }, (await Page(search: "0%")).Ids);
        Assert.Equal(new long[] { 5L }, (await Page(search: "ÜNÏCODE")).Ids);
        Assert.Empty((await Page(search: "\\")).Ids);
        Assert.Empty((await Page(search: "nothing like it")).Ids);
        Assert.Equal(new long[] { 7L, 2 }, (await Page(search: "prod", type: "MYSQL")).Ids);
        Assert.Equal(new long[] { 7L }, (await Page(search: "prod", type: "MYSQL", status: SourceStatus.Healthy)).Ids);
        Assert.Equal(new long[] { 2L }, (await Page(search: "prod", type: "MYSQL", status: SourceStatus.Pending)).Ids);
        Assert.Equal(new long[] { 5L }, (await Page(search: "a", status: SourceStatus.Healthy)).Ids);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(SourceStatus.Failing)]
    [InlineData(SourceStatus.Pending)]
    public async Task Paging_through_concurrent_creates_and_deletes_neither_skips_nor_repeats(string? status)
    {
        // Pending and failing sources, some failing only by an expired credential.
        static ProbeResult? ProbeOf(long id) => id % 3 == 0 ? ProbeResult.Failed(ProbeOutcome.AuthFailed, "no") : null;
        static DateTimeOffset? ExpiryOf(long id) => id % 5 == 0 ? Now.AddMinutes(-1) : null;
        var initial = Enumerable.Range(1, 200).Select(i => (long)i).ToArray();
        foreach (var id in initial)
            await Insert(id, probe: ProbeOf(id), expires: ExpiryOf(id));
        var matching = initial.Where(id => status is null || (status == SourceStatus.Failing) == (ProbeOf(id) is not null || ExpiryOf(id) is not null)).ToHashSet();
        var deleted = new HashSet<long>();
        var seen = new List<long>();
        var next = 1000L;
        var random = new Random(7);

        for (var before = long.MaxValue; ;)
        {
            // Creates and deletes in flight while the page is read (after the first page: what it shows is newest).
            var creates = Enumerable.Range(0, before == long.MaxValue ? 0 : 5).Select(_ => { var id = next++; return Insert(id, probe: ProbeOf(id), expires: ExpiryOf(id)); }).ToArray();
            var gone = initial.Where(id => !deleted.Contains(id)).OrderBy(_ => random.Next()).Take(3).ToArray();
            deleted.UnionWith(gone);
            var deletes = gone.Select(Store.Delete).ToArray();
            var (ids, last) = await Page(status: status, before: before, limit: 9);
            await Task.WhenAll(creates);
            await Task.WhenAll(deletes);
            seen.AddRange(ids);
            if (ids.Length < 9) break;
            before = last;
        }

        Assert.Equal(seen.Count, seen.Distinct().Count());
        // Every source there from start to end was shown; none created during the paging was (they are newer).
        Assert.Empty(matching.Except(deleted).Except(seen));
        Assert.All(seen, id => Assert.True(matching.Contains(id), $"source {id} was listed"));
    }
}

public sealed class EmbeddedSourceListingStoreTests : SourceListingStoreTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Embedded());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSourceListingStoreTests(Sources.TestServers.PostgresServer server) : SourceListingStoreTests
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgresAsync(server);
}
