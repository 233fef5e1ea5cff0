using System.Diagnostics.Metrics;

namespace Sources.Silo.Scheduling;

/// <summary>
/// The "Sources.Probing" meter: probes by type and outcome and how long they took, and what is in
/// flight, waiting and draining on this node. One per scheduler, created through the host's
/// <see cref="IMeterFactory"/> when there is one, so any listener (OpenTelemetry, dotnet-counters,
/// a benchmark) can read it.
/// </summary>
public sealed class ProbeMetrics : IDisposable
{
    public const string MeterName = "Sources.Probing";

    private readonly Meter _meter;
    private readonly Counter<long> _probes;
    private readonly Histogram<double> _duration;

    public ProbeMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _probes = _meter.CreateCounter<long>("sources.probes", description: "Probes that ended (or could not start), by type, lane and outcome.");
        _duration = _meter.CreateHistogram<double>("sources.probe.duration", unit: "s", description: "How long a probe ran, from its start to its answer.");
    }

    internal void Observe(ProbeScheduler scheduler)
    {
        _meter.CreateObservableGauge("sources.probes.in_flight", () => scheduler.Running, description: "Probes running on this node, draining ones not counted.");
        _meter.CreateObservableGauge("sources.probes.draining", () => scheduler.Draining, description: "Probes given up at their deadline whose driver still runs.");
        _meter.CreateObservableGauge("sources.probes.waiting", () => new[]
        {
            new Measurement<int>(scheduler.Waiting(ProbeLane.Interactive), new KeyValuePair<string, object?>("lane", "interactive")),
            new Measurement<int>(scheduler.Waiting(ProbeLane.Background), new KeyValuePair<string, object?>("lane", "background")),
        }, description: "Probes waiting to start, by lane.");
    }

    /// <summary>How late the health sweep is: the time the longest-waiting due check has waited.</summary>
    public void ObserveSweepLag(Func<TimeSpan> lag) =>
        _meter.CreateObservableGauge("sources.sweep.lag", () => lag().TotalSeconds, unit: "s",
            description: "How long the check that has waited longest was overdue at the end of this node's last sweep.");

    internal void Ended(string type, ProbeLane lane, string outcome, bool ran, TimeSpan duration)
    {
        var tags = new System.Diagnostics.TagList { { "type", type }, { "lane", LaneName(lane) }, { "outcome", ran ? outcome : "not_started" } };
        _probes.Add(1, tags);
        if (ran)
            _duration.Record(duration.TotalSeconds, tags);
    }

    internal static string LaneName(ProbeLane lane) => lane == ProbeLane.Interactive ? "interactive" : "background";

    public void Dispose() => _meter.Dispose();
}
