using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sources.Silo.Grains;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Scheduling;
using Sources.Testing;

namespace Sources.ProbeLoad;

/// <summary>
/// A real Sources silo in this process (embedded storage in a temp folder, loopback allowed), hosted
/// as the tests host one (<see cref="SiloHost"/>): the grains, the scheduler and the sweep the
/// service runs, without the HTTP edge. Its probes are counted through the "Sources.Probing" meter
/// and its CPU is this process's, which is why the raw loops it is compared with run in this process too.
/// </summary>
internal sealed class InProcessNode : IAsyncDisposable
{
    private readonly SiloHost _silo;
    private readonly string _data;

    private InProcessNode(SiloHost silo, string data, WarningCount warnings)
    {
        _silo = silo;
        _data = data;
        Warnings = warnings;
    }

    public IServiceProvider Services => _silo.Services;
    /// <summary>Grain references as the service's HTTP edge makes them.</summary>
    public GrainReferences Grains => Services.GetRequiredService<GrainReferences>();
    public ProbeScheduler Scheduler => Services.GetRequiredService<ProbeScheduler>();
    public ProbeSettings Settings => Services.GetRequiredService<ProbeSettings>();

    /// <summary>Warnings and errors the node logged, by category (the console is the harness's own).</summary>
    public WarningCount Warnings { get; }

    public static async Task<InProcessNode> StartAsync(TimeSpan interval, TimeSpan deadline)
    {
        var data = Directory.CreateTempSubdirectory("sources-probeload-").FullName;
        var warnings = new WarningCount();
        var silo = await SiloHost.Start(data, interval: interval, deadline: deadline,
            services: services => services.AddLogging(logging => logging.ClearProviders().AddProvider(warnings)));
        return new InProcessNode(silo, data, warnings);
    }

    /// <summary>What the API would hand the grain for a POSTGRES request: settings plus sealed secrets.</summary>
    public SourceConfig Postgres(long id, int port, string user, string password, string database, params string[] schemas) =>
        _silo.Postgres(id, port, user, password, database, schemas);

    public async ValueTask DisposeAsync()
    {
        await _silo.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); }
        catch (IOException) { /* SQLite may still hold the file for a moment; it is a temp folder. */ }
    }
}

/// <summary>Counts what the node logs at Warning and above, by category, and keeps the first line of each.</summary>
internal sealed class WarningCount : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Count, string First)> _seen = new();
    public IReadOnlyDictionary<string, (long Count, string First)> Seen => _seen;

    public ILogger CreateLogger(string categoryName) => new Counter(this, categoryName);

    public void Dispose() { }

    private sealed class Counter(WarningCount owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            owner._seen.AddOrUpdate(category, _ => (1, formatter(state, exception)), (_, seen) => (seen.Count + 1, seen.First));
        }
    }
}
