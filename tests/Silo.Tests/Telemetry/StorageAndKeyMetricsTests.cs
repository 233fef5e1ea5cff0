using Sources.Silo.Storage;
using Sources.Silo.Storage.Sources;
using Sources.Silo.Tests.Grains;
using Sources.Silo.Tests.Storage;

namespace Sources.Silo.Tests.Telemetry;

/// <summary>
/// The "Sources.Storage" meter counts what each group commit carried and how long it took; the
/// "Sources.Keys" meter says how each key verification was answered, without the key.
/// </summary>
public sealed class StorageAndKeyMetricsTests : KeyNodesTest
{
    [Fact]
    public async Task Group_commits_report_their_writes_and_their_time()
    {
        await using var database = TestDatabase.Embedded();
        await new SchemaMigrator(database.Options).MigrateAsync();
        using var recorded = new RecordedMeasurements("Sources.Storage");
        var columns = new SourceColumns("pending", null, "PostgreSQL", "postgresql", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null);
        await using (var store = new SourceStore(database.Options))
            await Task.WhenAll(Enumerable.Range(1, 40).Select(id =>
                store.Insert(new SourceRow(id, "acme", "POSTGRES", [1], DateTimeOffset.UnixEpoch.AddDays(1), columns))));

        // Other tests' stores report into the same meter; those of this one are among what was recorded.
        var batches = recorded.Of("sources.storage.commit.batch_size").ToList();
        Assert.True(batches.Sum(b => b.Value) >= 40, $"batches carried {batches.Sum(b => b.Value)} writes");
        Assert.All(batches, b => Assert.InRange(b.Value, 1, 256));
        Assert.Contains(batches, b => Equals(b.Tags["outcome"], "committed"));
        Assert.Contains(recorded.Of("sources.storage.commit.duration"), d => d.Value >= 0 && Equals(d.Tags["outcome"], "committed"));
    }

    [Fact]
    public async Task A_key_verified_twice_is_answered_once_by_its_grain_and_once_from_the_lease()
    {
        var node = Node();
        var key = await node.Create("acme");
        using var recorded = new RecordedMeasurements("Sources.Keys");

        Assert.Equal("acme", await node.Verify(key));
        Assert.Equal("acme", await node.Verify(key));
        Assert.Null(await node.Verify("not a key"));

        var answers = recorded.Of("sources.keys.verifications").Select(m => (string)m.Tags["answered_by"]!).ToList();
        Assert.Contains("grain", answers);
        Assert.Contains("lease", answers);
        Assert.Contains("malformed", answers);
        Assert.DoesNotContain(recorded.All, m => m.Tags.Values.Any(v => v is string s && (key.Contains(s) || s.Contains(key))));
    }
}
