using Sources.Silo.Probing;

namespace Sources.Silo.Scheduling;

/// <summary>
/// The probes of one source, as its grain runs them: at most one at a time; a change while one
/// runs asks for another once it ends; someone who waits on a probe that has not started moves
/// it to the interactive lane; the running probe's progress is kept until it ends. The result
/// goes back to the grain through <c>report</c>, as a message, so it is applied in one of the
/// grain's turns, and whoever waits on the probe hears its result only once it is recorded. Like the grain, not thread-safe: called only from the grain's turns.
/// </summary>
public sealed class SourceProbes(ProbeScheduler scheduler)
{
    private ScheduledProbe? _current;

    /// <summary>The current probe's outcome once it has been reported back: what callers wait on, so an answer never runs ahead of its record.</summary>
    private Task<ScheduledResult>? _reported;
    private int _number = Random.Shared.Next(); // from a random start, so a new activation does not reuse an old one's numbers
    private bool _again;
    private ProbeProgress? _progress;

    /// <summary>The progress of the probe in flight, if any.</summary>
    public ProbeProgress? Progress => _current is null ? null : _progress;

    /// <summary>
    /// Starts a probe in <paramref name="lane"/>, or, when one is in flight, asks for another
    /// after it and answers the one in flight. <paramref name="request"/> builds the request for
    /// the probe's number; <paramref name="report"/> carries the outcome back, with that number.
    /// </summary>
    public Task<ScheduledResult> Start(ProbeLane lane, Func<int, ProbeRequest> request, Func<int, ScheduledResult, Task> report)
    {
        if (_current is { } running)
        {
            _again = true;
            if (lane == ProbeLane.Interactive)
                running.Hurry();
            return _reported!;
        }
        var number = ++_number;
        _progress = null;
        var probe = scheduler.Schedule(request(number), lane);
        _current = probe;
        _reported = Report(probe, number, report);
        return _reported;
    }

    /// <summary>Joins the probe in flight (someone now waits on it) or starts an interactive one.</summary>
    public Task<ScheduledResult> Test(Func<int, ProbeRequest> request, Func<int, ScheduledResult, Task> report)
    {
        if (_current is not { } running)
            return Start(ProbeLane.Interactive, request, report);
        running.Hurry();
        return _reported!;
    }

    /// <summary>Whether no probe is in flight.</summary>
    public bool Idle => _current is null;

    /// <summary>Probe <paramref name="number"/> has been reported; true when another was asked for meanwhile.</summary>
    public bool Ended(int number)
    {
        if (number != _number || _current is null)
            return false;
        _current = null;
        _reported = null;
        _progress = null;
        var again = _again;
        _again = false;
        return again;
    }

    /// <summary>Keeps the latest progress of probe <paramref name="number"/>; a report trailing its probe's end is dropped.</summary>
    public void Progressed(int number, ProbeProgress progress)
    {
        if (_current is not null && number == _number)
            _progress = progress;
    }

    private static async Task<ScheduledResult> Report(ScheduledProbe probe, int number, Func<int, ScheduledResult, Task> report)
    {
        var outcome = await probe.Result.ConfigureAwait(false);
        await report(number, outcome).ConfigureAwait(false);
        return outcome;
    }
}
