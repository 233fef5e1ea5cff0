using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Sources.Silo.Grains.Sources;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// Fills the listing's columns (0003_source_listing.sql) of rows stored before they existed, from
/// each row's payload, at start-up before the node takes calls, so a listing is right for every
/// source. Safe on several nodes at once and after a crash halfway: a row is filled only while it
/// is at the version read, and a grain's own write fills it anyway. A payload that cannot be read
/// is left as it is and named in the log; that source is listed, but matches no status or search.
/// </summary>
internal sealed partial class SourceColumnsBackfill(
    SourceStore store, Serializer<SourceRecord> serializer, ILogger<SourceColumnsBackfill> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int Batch = 500;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SourceColumnsBackfill), ServiceLifecycleStage.RuntimeInitialize, Run);

    internal async Task Run(CancellationToken cancellation)
    {
        var (after, filled) = (0L, 0);
        while (!cancellation.IsCancellationRequested)
        {
            var rows = await store.Unfilled(after, Batch);
            if (rows.Length == 0) break;
            after = rows[^1].Sequence;
            // One batch shares the store's group commits.
            var fills = await Task.WhenAll(rows.Select(row => Columns(row) is { } columns ? store.Fill(row.Id, row.Version, columns) : Task.FromResult(false)));
            filled += fills.Count(done => done);
        }
        if (filled > 0) Filled(logger, filled);
    }

    private SourceColumns? Columns(UnfilledRow row)
    {
        try
        {
            return SourceColumns.Of(serializer.Deserialize(row.Payload)!);
        }
        catch (Exception ex)
        {
            Unreadable(logger, row.Id, ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Filled the listing columns of {Count} sources stored before they existed")]
    private static partial void Filled(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The row of source {SourceId} could not be read ({Exception}); its listing columns stay empty")]
    private static partial void Unreadable(ILogger logger, long sourceId, string exception);
}
