using Microsoft.Extensions.Logging;

namespace Sources.Silo.Scheduling;

/// <summary>
/// The mark of one probe: written at its first call into <see cref="BlockingWork"/> (DuckDB,
/// XLSX, key derivation: the work that can take a node down), awaited before that call starts,
/// and removed once the probe's driver has ended, draining included. A probe that does no
/// blocking work writes nothing, so quick probes cost no database write.
/// </summary>
internal sealed partial class HeavyWorkMark(IProbeMarks marks, long sourceId, TimeProvider time, ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly long _probe = Random.Shared.NextInt64(1, long.MaxValue);
    private Task? _written;

    /// <summary>Completes once the mark is stored; the first caller writes it.</summary>
    public Task Written()
    {
        lock (_lock)
            return _written ??= marks.Mark(new ProbeMark(sourceId, marks.Node, _probe, time.GetUtcNow()));
    }

    /// <summary>The probe's driver has ended: its mark, if it wrote one, goes. Never throws.</summary>
    public Task Ended()
    {
        Task? written;
        lock (_lock)
            written = _written;
        return written is null ? Task.CompletedTask : Remove(written);
    }

    private async Task Remove(Task written)
    {
        try
        {
            await written.ConfigureAwait(false);
            await marks.Remove(sourceId, _probe).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Left behind, the mark would hold the source out of the sweep after this node's next start.
            RemoveFailed(logger, sourceId, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The heavy-work mark of source {SourceId} could not be removed ({Exception}); if this node stops before it is, the source will be held out of the health sweep")]
    private static partial void RemoveFailed(ILogger logger, long sourceId, string exception);
}
