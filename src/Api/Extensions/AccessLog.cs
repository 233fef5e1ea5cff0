using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sources.Api.Extensions;

/// <summary>
/// Writes the request lines (<see cref="RequestLogging"/>'s category) to standard output in
/// batches: one write at most every <see cref="Gather"/>, none while the service is idle. The
/// console logger wakes its thread and makes a system call for every line, and for the line every
/// request writes that cost about as much as the rest of a get (BENCHMARKS.md). The lines look as
/// the console logger's own single lines do, and the usual settings still choose the category's
/// level. Other categories go on through the console logger, so a request line can come up to
/// <see cref="Gather"/> after lines logged while its request ran; both name the request id.
/// Gathered lines are written when the host stops. One write is in flight at a time; should the
/// output block, at most <see cref="MaxWaiting"/> lines wait and the rest are counted, and the
/// count is written when the output moves again.
/// </summary>
public sealed class AccessLog(TextWriter output) : ILoggerProvider
{
    public static readonly string Category = typeof(RequestLogging).FullName!;

    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(20);
    public const int MaxWaiting = 100_000;

    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Lock _writing = new();
    private int _scheduled;
    private int _waiting;
    private int _dropped;

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? new Logger(this) : NullLogger.Instance;

    public void Dispose() => Write();

    private void Add(string line)
    {
        if (Interlocked.Increment(ref _waiting) > MaxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            Interlocked.Increment(ref _dropped);
            return;
        }
        _lines.Enqueue(line);
        if (Interlocked.Exchange(ref _scheduled, 1) == 0)
            _ = WriteSoon();
    }

    private async Task WriteSoon()
    {
        await Task.Delay(Gather);
        Write();
        Volatile.Write(ref _scheduled, 0);
        // A line added while this wrote found a write scheduled and left it to this one.
        if (!_lines.IsEmpty && Interlocked.Exchange(ref _scheduled, 1) == 0)
            _ = WriteSoon();
    }

    private void Write()
    {
        // One writer at a time, so batches go out in the order their lines came.
        lock (_writing)
        {
            var batch = new StringBuilder();
            while (_lines.TryDequeue(out var line))
            {
                Interlocked.Decrement(ref _waiting);
                batch.Append(line);
            }
            if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
                batch.Append($"warn: {Category}[0] {dropped} request lines were dropped while the output was blocked{Environment.NewLine}");
            if (batch.Length == 0) return;
            output.Write(batch.ToString());
            output.Flush();
        }
    }

    private sealed class Logger(AccessLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = $"{Label(logLevel)}: {Category}[{eventId.Id}] {formatter(state, exception)}";
            log.Add(exception is null ? line + Environment.NewLine : $"{line}{Environment.NewLine}{exception}{Environment.NewLine}");
        }

        private static string Label(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
