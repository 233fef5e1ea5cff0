using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Sources.Silo.Hosting;

/// <summary>
/// Gives the operating system back the memory the collector committed for a peak once the node no
/// longer needs it. A burst of creates keeps each new source's grain active until its first check,
/// so the heap grows to a peak; afterwards the live heap falls back to a few tens of MiB, but what
/// the collector committed stays resident while the node collects only its youngest generation.
/// Once a minute this compares what is committed with what the last collection kept; when the spare
/// part exceeds both <see cref="Spare"/> and the heap in use, one aggressive full collection returns
/// it (and trims the runtime's own caches). It does so again only after committed memory has grown
/// by <see cref="Spare"/> past what that collection left, so a node holding steady never repeats it.
/// See docs/memory.md.
/// </summary>
public sealed partial class SpareMemoryReturn(TimeProvider time, ILogger<SpareMemoryReturn> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);

    /// <summary>Spare committed memory below this is not worth a full collection's pause.</summary>
    public const long Spare = 64L << 20;

    private long _leftAfterLast;

    public void Participate(ISiloLifecycle lifecycle)
    {
        var loop = new NodeLoop(Period, time, Look, ex => LookFailed(logger, ex.GetType().Name));
        lifecycle.Subscribe(nameof(SpareMemoryReturn), ServiceLifecycleStage.Active, loop.Start, loop.Stop);
    }

    private Task Look(CancellationToken _)
    {
        var info = GC.GetGCMemoryInfo();
        // What the last collection kept, its free gaps left out: those are spare too, and compacting returns them.
        if (!Worth(info.TotalCommittedBytes, info.HeapSizeBytes - info.FragmentedBytes, _leftAfterLast)) return Task.CompletedTask;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _leftAfterLast = GC.GetGCMemoryInfo().TotalCommittedBytes;
        Returned(logger, info.TotalCommittedBytes >> 20, _leftAfterLast >> 20);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Whether a full collection is worth it: more than <see cref="Spare"/> and more than the heap in
    /// use committed beyond it, and committed memory grown by <see cref="Spare"/> since the last one left it.
    /// </summary>
    public static bool Worth(long committed, long inUse, long leftAfterLast) =>
        committed - inUse > Math.Max(Spare, inUse) && committed > leftAfterLast + Spare;

    [LoggerMessage(Level = LogLevel.Information, Message = "Returned spare memory to the system: the collector had {Before} MiB committed, {After} MiB after a full collection")]
    private static partial void Returned(ILogger logger, long before, long after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The spare memory check failed ({Exception}); it tries again in a minute")]
    private static partial void LookFailed(ILogger logger, string exception);
}
