using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Sources.Silo.Probing;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// Drives the periodic health checks. Every silo, every <see cref="Period"/>, claims the sources
/// whose row says a check is due (moving their due time on by a <see cref="Lease"/>, so two silos
/// never claim one source at once) and pokes their grains. The schedule is the sources table
/// itself: nothing is registered per source, and whatever is due when a node starts is found by
/// its first sweep. See docs/lifecycle.md.
/// </summary>
internal sealed partial class HealthSweep(
    SourceStore store,
    GrainReferences grains,
    ProbeSettings settings,
    TimeProvider time,
    ILogger<HealthSweep> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int ClaimLimit = 256;

    private CancellationTokenSource? _stop;
    private Task? _sweeping;

    /// <summary>How long a claim holds: a poke that was lost (its node died) is retried after it.</summary>
    public static TimeSpan Lease(ProbeSettings settings) => settings.Deadline * 3;

    /// <summary>A quarter of the interval, so checks are at most that late; at least 200 ms, at most 30 s.</summary>
    public static TimeSpan Period(ProbeSettings settings) =>
        TimeSpan.FromTicks(Math.Clamp(settings.Interval.Ticks / 4, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromSeconds(30).Ticks));

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(HealthSweep), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken _)
    {
        _stop = new CancellationTokenSource();
        _sweeping = Task.Run(() => Sweep(_stop.Token));
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken _)
    {
        if (_stop is null) return;
        await _stop.CancelAsync();
        try
        {
            await _sweeping!;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task Sweep(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Period(settings), time);
        do
        {
            try
            {
                int claimed;
                do
                {
                    var now = time.GetUtcNow();
                    var due = await store.ClaimDue(now, now + Lease(settings), ClaimLimit);
                    foreach (var id in due)
                        _ = grains.GetGrain<IConnectionGrain>(id).Check();
                    claimed = due.Length;
                } while (claimed == ClaimLimit && !stop.IsCancellationRequested);
            }
            catch (Exception ex)
            {
                // The database may be away for a while; the next sweep tries again.
                SweepFailed(logger, ex.GetType().Name);
            }
        } while (await timer.WaitForNextTickAsync(stop));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The health sweep could not read due sources ({Exception}); it tries again at the next tick")]
    private static partial void SweepFailed(ILogger logger, string exception);
}
