using Sources.Silo.Probing;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// Carries a probe's progress from its thread to the grain as one-way messages, never touching
/// grain state: each file's end goes at once, reports within a file at most every 250 ms.
/// </summary>
internal sealed class ProgressMessages(ISourceGrain grain, int probe, TimeProvider time) : IProgress<ProbeProgress>
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
    private readonly Lock _lock = new();
    private int _filesDone = -1;
    private long _sentAt;

    public void Report(ProbeProgress value)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (value.FilesDone == _filesDone && time.GetElapsedTime(_sentAt, now) < Every)
                return;
            _filesDone = value.FilesDone;
            _sentAt = now;
        }
        _ = grain.ReportProgress(probe, value);
    }
}
