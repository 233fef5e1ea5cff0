namespace Sources.Silo.Scheduling;

/// <summary>A probe in the scheduler's hands: its result to come, and a way to say someone now waits on it.</summary>
public sealed class ScheduledProbe
{
    private readonly ProbeScheduler _scheduler;
    internal readonly TaskCompletionSource<ScheduledResult> Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ScheduledProbe(ProbeScheduler scheduler, ProbeRequest request, ProbeLane lane, TimeSpan limit)
    {
        _scheduler = scheduler;
        Request = request;
        Lane = lane;
        Limit = limit;
    }

    public ProbeRequest Request { get; }

    public ProbeLane Lane { get; internal set; }

    /// <summary>How long the probe may take: its type's deadline for these settings.</summary>
    public TimeSpan Limit { get; }

    /// <summary>Completes by the probe's deadline once it is interactive; a background probe completes when it has run.</summary>
    public Task<ScheduledResult> Result => Completion.Task;

    /// <summary>Someone now waits on this probe: if it has not started, it moves to the interactive lane with a deadline from now.</summary>
    public void Hurry() => _scheduler.Hurry(this);

    // The scheduler's bookkeeping, touched only under its lock.
    internal LinkedListNode<ScheduledProbe>? Queued;
    internal bool Started;
    internal ITimer? StartBy;
    internal long AskedAt;
    internal AccountShare? Account;
}
