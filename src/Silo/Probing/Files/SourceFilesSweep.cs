using Microsoft.Extensions.Logging;
using Sources.Silo.Hosting;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Probing.Files;

/// <summary>
/// Keeps this node's FILE folders to the sources that exist. At start-up, before the node runs any
/// probe, it removes the import folders a dead process left behind; then, at start-up and every
/// <see cref="FileSettings.SweepInterval"/>, it removes the folder of every source the sources table
/// no longer has. Each node has its own disk, so each node sweeps its own: in a cluster the copy a
/// node made of a source it probed long ago goes with this sweep, not with the delete (which runs
/// on whichever node holds the source's grain).
/// </summary>
public sealed partial class SourceFilesSweep(
    SourceFiles folders,
    SourceStore store,
    FileSettings settings,
    TimeProvider time,
    ILogger<SourceFilesSweep> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        var loop = new NodeLoop(settings.SweepInterval, time, RemoveOrphans, ex => SweepFailed(logger, ex.GetType().Name));
        // Before Active, where the health sweep and incoming calls start probes.
        lifecycle.Subscribe(nameof(SourceFilesSweep), ServiceLifecycleStage.ApplicationServices, cancellation =>
        {
            RemoveInterruptedImports();
            return loop.Start(cancellation);
        }, loop.Stop);
    }

    private void RemoveInterruptedImports()
    {
        try
        {
            if (folders.RemoveInterruptedImports() is > 0 and var removed)
                InterruptedRemoved(logger, removed);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SweepFailed(logger, ex.GetType().Name);
        }
    }

    /// <summary>How long a trial's folder may sit unchanged before the sweep takes it for a leftover: well past the longest FILE probe.</summary>
    public static TimeSpan TrialAge(FileSettings settings) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromHours(1).Ticks, settings.MaxProbeDuration.Ticks * 4));

    /// <summary>Removes the folder of every source on this node's disk that the sources table does not have; answers how many.</summary>
    public async Task<int> RemoveOrphans(CancellationToken cancellation = default)
    {
        folders.ForgetOldDeletes();
        var removed = 0;
        foreach (var id in folders.Held())
        {
            cancellation.ThrowIfCancellationRequested();
            if (id < 0)
            {
                // A trial's: it removes its folder when it answers, but a probe still draining past
                // its deadline may leave one. No trial runs longer than this, so one this old is left over.
                if (time.GetUtcNow() - folders.LastChanged(id) < TrialAge(settings)) continue;
            }
            // Ids are handed out once and a source's row is stored before its first probe starts,
            // so a folder without a row is one whose source was deleted.
            else if (await store.Read(id) is not null) continue;
            try
            {
                folders.Remove(id);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                NotRemoved(logger, id, ex.GetType().Name);
            }
        }
        if (removed > 0)
            OrphansRemoved(logger, removed);
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} FILE import folders left by an interrupted process")]
    private static partial void InterruptedRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed the FILE data of {Count} deleted sources from this node")]
    private static partial void OrphansRemoved(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The FILE data of deleted source {SourceId} could not be removed ({Exception}); the next sweep tries again")]
    private static partial void NotRemoved(ILogger logger, long sourceId, string exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The FILE folder sweep failed ({Exception}); it tries again at the next tick")]
    private static partial void SweepFailed(ILogger logger, string exception);
}
