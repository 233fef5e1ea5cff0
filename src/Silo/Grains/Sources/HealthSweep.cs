using Microsoft.Extensions.Logging;
using Sources.Silo.Hosting;
using Sources.Silo.Probing;
using Sources.Silo.Scheduling;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// Drives the periodic health checks. Every silo, every <see cref="Period"/>, claims as many
/// sources whose row says a check is due as its <see cref="ProbeScheduler"/> has background room
/// for (moving their due time on by a <see cref="Lease(ProbeSettings, TimeSpan)"/>, so two silos never claim one source at
/// once) and pokes their grains, waiting for each to hand its probe to its scheduler before it
/// claims more; while checks are still due, it claims more as probes end, until its period is
/// over. What it cannot claim stays due in the table and shows as
/// <see cref="Lag"/>, rather than piling up as pokes. The schedule is the sources table itself:
/// nothing is registered per source, and whatever is due when a node starts is found by its first
/// sweep. See docs/lifecycle.md and docs/probing.md.
/// </summary>
internal sealed partial class HealthSweep(
    SourceStore store,
    GrainReferences grains,
    ProbeScheduler scheduler,
    ProbeMetrics metrics,
    ProbeSettings settings,
    TimeProvider time,
    ILogger<HealthSweep> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int ClaimLimit = 256;

    /// <summary>
    /// How long a claim holds: at least as long as the longest probe it may start, so a running
    /// probe is not claimed again; a poke that was lost (its node died) is retried after it.
    /// </summary>
    public static TimeSpan Lease(ProbeSettings settings, TimeSpan longestDeadline) =>
        settings.Deadline * 3 > longestDeadline + settings.Deadline ? settings.Deadline * 3 : longestDeadline + settings.Deadline;

    private TimeSpan Lease() => Lease(settings, scheduler.LongestDeadline);

    /// <summary>How long the check that has waited longest was overdue when this node's last sweep ended (zero when none waits).</summary>
    public TimeSpan Lag { get; private set; }

    /// <summary>A quarter of the interval, so checks are at most that late; at least 200 ms, at most 30 s.</summary>
    public static TimeSpan Period(ProbeSettings settings) =>
        TimeSpan.FromTicks(Math.Clamp(settings.Interval.Ticks / 4, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromSeconds(30).Ticks));

    public void Participate(ISiloLifecycle lifecycle)
    {
        metrics.ObserveSweepLag(() => Lag);
        var loop = new NodeLoop(Period(settings), time, Sweep, ex => SweepFailed(logger, ex.GetType().Name));
        lifecycle.Subscribe(nameof(HealthSweep), ServiceLifecycleStage.Active, loop.Start, loop.Stop);
    }

    /// <summary>
    /// One sweep: claim what there is room for and poke those grains; when the room is taken and
    /// checks are still due, claim more as probes end, in batches, until the period is over (the
    /// next sweep goes on from there). The lag is noted whenever the room runs out, and at the end.
    /// </summary>
    private async Task Sweep(CancellationToken stop)
    {
        var end = time.GetUtcNow() + Period(settings);
        while (!stop.IsCancellationRequested)
        {
            var freed = scheduler.BackgroundFreed;
            var room = Math.Min(ClaimLimit, scheduler.BackgroundRoom);
            if (room > 0)
            {
                var now = time.GetUtcNow();
                // An account with its whole share taken would only queue more: its checks stay due.
                var due = await store.ClaimDue(now, now + Lease(), room, scheduler.AccountsWithoutRoom);
                // Each poke answers once its grain has handed the probe to the scheduler, so the room
                // read next counts what was claimed here (pokes still on their way would not be).
                await Task.WhenAll(due.Select(Poke));
                if (due.Length < room) break; // nothing more is due
                continue;
            }
            // What is left of the period is read once: read twice, it could pass zero in between, and
            // WaitAsync refuses a negative wait (and takes -1 ms for no limit at all).
            var left = end - time.GetUtcNow();
            if (await NoteLag() == TimeSpan.Zero || left <= TimeSpan.Zero) break;
            try
            {
                await freed.WaitAsync(left, time, stop);
                // Let a few more probes end, so a claim takes a batch rather than one row at a time.
                await Task.Delay(ClaimPause, time, stop);
            }
            catch (TimeoutException)
            {
                break;
            }
        }
        if (await NoteLag() > Period(settings) * 2)
            Lagging(logger, Lag.TotalSeconds, scheduler.Running, scheduler.Capacity);
    }

    /// <summary>The pause after room frees before the next claim: while the room is taken, at most ten claims a second.</summary>
    private static readonly TimeSpan ClaimPause = TimeSpan.FromMilliseconds(100);

    private async Task<TimeSpan> NoteLag()
    {
        var checkedAt = time.GetUtcNow();
        Lag = await store.OldestDue(checkedAt) is { } oldest ? checkedAt - oldest : TimeSpan.Zero;
        return Lag;
    }

    private async Task Poke(long id)
    {
        try
        {
            await grains.GetGrain<ISourceGrain>(id).Check();
        }
        catch (Exception ex)
        {
            // The claim's lease runs out and the row is due again.
            PokeFailed(logger, id, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {SourceId} could not be asked for its due check ({Exception}); it is due again when its claim runs out")]
    private static partial void PokeFailed(ILogger logger, long sourceId, string exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health checks start {Lag:0} s after they fall due: {Running} of {Capacity} probes are in flight on this node")]
    private static partial void Lagging(ILogger logger, double lag, int running, int capacity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The health sweep could not read due sources ({Exception}); it tries again at the next tick")]
    private static partial void SweepFailed(ILogger logger, string exception);
}
