using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sources.Silo.Scheduling;

namespace Sources.ProbeLoad;

/// <summary>
/// Listens to the product's "Sources.Probing" meter (ProbeMetrics) in this process: probes that
/// ended, by lane and outcome, and the in-flight, draining and waiting gauges when asked. What the
/// node says it did, rather than what the harness thinks it asked for.
/// </summary>
internal sealed class ProbeCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Lane, string Outcome), long> _ended = new();
    private int _inFlight, _draining, _waitingInteractive, _waitingBackground;

    public ProbeCounts()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ProbeMetrics.MeterName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>(OnLong);
        _listener.SetMeasurementEventCallback<int>(OnInt);
        _listener.Start();
    }

    /// <summary>Probes ended so far (any lane), "could not start" included when <paramref name="notStarted"/>.</summary>
    public long Ended(string? lane = null, bool notStarted = false) =>
        _ended.Where(e => (lane is null || e.Key.Lane == lane) && (notStarted || e.Key.Outcome != "not_started")).Sum(e => e.Value);

    public IReadOnlyDictionary<(string Lane, string Outcome), long> ByOutcome() => new Dictionary<(string, string), long>(_ended);

    public (int InFlight, int Draining, int WaitingInteractive, int WaitingBackground) Gauges()
    {
        _listener.RecordObservableInstruments();
        return (_inFlight, _draining, _waitingInteractive, _waitingBackground);
    }

    private void OnLong(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name != "sources.probes") return;
        string lane = "", outcome = "";
        foreach (var tag in tags)
        {
            if (tag.Key == "lane") lane = tag.Value as string ?? "";
            else if (tag.Key == "outcome") outcome = tag.Value as string ?? "";
        }
        _ended.AddOrUpdate((lane, outcome), value, (_, seen) => seen + value);
    }

    private void OnInt(Instrument instrument, int value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case "sources.probes.in_flight": _inFlight = value; break;
            case "sources.probes.draining": _draining = value; break;
            case "sources.probes.waiting":
                foreach (var tag in tags)
                    if (tag.Key == "lane")
                    {
                        if ((string?)tag.Value == "interactive") _waitingInteractive = value;
                        else _waitingBackground = value;
                    }
                break;
        }
    }

    public void Dispose() => _listener.Dispose();
}
