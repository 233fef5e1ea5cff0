namespace Sources.Silo.Scheduling;

/// <summary>
/// Which queue a probe waits in. Someone is waiting on an interactive probe (a test, the first
/// probe after a create or a new configuration): it starts before background work and answers
/// by its deadline, counted from when it was asked. Background probes are the health sweep's
/// re-checks: nobody waits on them, so they wait for room instead of running out of time.
/// </summary>
public enum ProbeLane
{
    Interactive,
    Background,
}
