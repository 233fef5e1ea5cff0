using System.Diagnostics.Metrics;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// The "Sources.Storage" meter: how many writes each group commit carried and how long its
/// transaction took (docs/telemetry.md). One meter for the process: every store of a node
/// reports into it, and a listener reads it without being handed a store.
/// </summary>
internal static class StorageMetrics
{
    public const string MeterName = "Sources.Storage";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("sources.storage.commit.batch_size", unit: "{write}",
        description: "Writes that shared one group commit.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    private static readonly Histogram<double> CommitTime = Meter.CreateHistogram<double>("sources.storage.commit.duration", unit: "s",
        description: "How long a group commit took, from opening its connection to its commit.");

    public static void Committed(int writes, TimeSpan took, bool succeeded)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", succeeded ? "committed" : "failed");
        BatchSize.Record(writes, outcome);
        CommitTime.Record(took.TotalSeconds, outcome);
    }
}
