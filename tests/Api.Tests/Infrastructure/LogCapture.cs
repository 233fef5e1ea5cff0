using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// Every line an in-process service logs, with its exception, as a child's console would show it:
/// what <see cref="ServiceProcess.Logs"/> is for a child process.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel}: {category}[{eventId.Id}] {formatter(state, exception)}";
            lines.Enqueue(exception is null ? line : $"{line}\n{exception}");
        }
    }
}
