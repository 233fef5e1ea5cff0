using Microsoft.Extensions.Logging;
using Sources.Silo.Hosting;
using Sources.Silo.Probing;
using Sources.Silo.Scheduling;
using Sources.Silo.Storage;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// Finds the heavy-work marks that nobody will remove: their node went down during the work, maybe
/// because of it. Each such source is held back (<see cref="ISourceGrain.HoldBack"/>): failing,
/// saying its check stopped the node, and out of the sweep until its owner changes it or asks for a
/// test; then the mark goes. A mark is left behind when membership declared its silo dead, or, in
/// embedded mode (one node, whose membership starts empty), when an earlier run of this node wrote
/// it. Runs at start-up and every sweep period, so in a cluster a surviving node handles what a
/// dead one left. The sweep never claims a marked source meanwhile. See docs/probing.md.
/// </summary>
internal sealed partial class ProbeMarkRecovery(
    ProbeMarkStore store,
    IProbeMarks marks,
    IClusterMembershipService membership,
    GrainReferences grains,
    StorageOptions storage,
    ProbeSettings settings,
    ProbeScheduler scheduler,
    TimeProvider time,
    ILogger<ProbeMarkRecovery> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int Batch = 256;

    public void Participate(ISiloLifecycle lifecycle)
    {
        var loop = new NodeLoop(HealthSweep.Period(settings), time, Recover, ex => RecoveryFailed(logger, ex.GetType().Name));
        lifecycle.Subscribe(nameof(ProbeMarkRecovery), ServiceLifecycleStage.Active, loop.Start, loop.Stop);
    }

    private async Task Recover(CancellationToken stop)
    {
        foreach (var mark in await store.Oldest(Batch))
        {
            if (stop.IsCancellationRequested) break;
            if (!LeftBehind(mark)) continue;
            await grains.GetGrain<ISourceGrain>(mark.SourceId).HoldBack(mark.MarkedAt);
            await store.Remove(mark.SourceId, mark.Probe);
            HeldBack(logger, mark.SourceId, mark.Node);
        }
    }

    private bool LeftBehind(ProbeMark mark)
    {
        if (mark.Node == marks.Node) return false;
        SiloAddress writer;
        try
        {
            writer = SiloAddress.FromParsableString(mark.Node);
        }
        catch (FormatException)
        {
            return true;
        }
        return membership.CurrentSnapshot.GetSiloStatus(writer) switch
        {
            SiloStatus.Dead => true,
            // Unknown to membership: an earlier run of this very node (embedded), or, in a cluster,
            // a silo long removed from the table; a silo too new for this node's view has a mark
            // younger than the longest probe.
            SiloStatus.None => storage.Mode == StorageMode.Embedded
                || time.GetUtcNow() - mark.MarkedAt > HealthSweep.Lease(settings, scheduler.LongestDeadline),
            _ => false,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A check of source {SourceId} never finished on node {Node}, which went down: the source is held out of the health sweep until its owner changes it or asks for a test")]
    private static partial void HeldBack(ILogger logger, long sourceId, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marks of unfinished checks could not be read or handled ({Exception}); trying again at the next tick")]
    private static partial void RecoveryFailed(ILogger logger, string exception);
}
