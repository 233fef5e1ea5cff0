using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Hosting;
using Sources.Silo.Probing;
using Sources.Silo.Scheduling;
using Sources.Silo.Secrets;
using Sources.TestServers;

namespace Sources.ProbeLoad;

/// <summary>
/// A real Sources silo in this process (embedded storage in a temp folder, loopback allowed), as
/// tests/Lifecycle.Tests hosts one: the grains, the scheduler and the sweep the service runs,
/// without the HTTP edge. Its probes are counted through the "Sources.Probing" meter and its CPU is
/// this process's, which is why the raw loops it is compared with run in this process too.
/// </summary>
internal sealed class InProcessNode : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _data;

    private InProcessNode(IHost host, string data, WarningCount warnings)
    {
        _host = host;
        _data = data;
        Warnings = warnings;
    }

    public IServiceProvider Services => _host.Services;
    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();
    public ProbeScheduler Scheduler => Services.GetRequiredService<ProbeScheduler>();
    public ProbeSettings Settings => Services.GetRequiredService<ProbeSettings>();

    /// <summary>Warnings and errors the node logged, by category (the console is the harness's own).</summary>
    public WarningCount Warnings { get; }

    public static async Task<InProcessNode> StartAsync(TimeSpan interval, TimeSpan deadline)
    {
        var data = Directory.CreateTempSubdirectory("sources-probeload-").FullName;
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var warnings = new WarningCount();
        builder.Logging.AddProvider(warnings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sources:Storage"] = "embedded",
            ["Sources:DataDirectory"] = data,
            ["Sources:SiloPort"] = FreePort.Next().ToString(),
            ["Sources:GatewayPort"] = FreePort.Next().ToString(),
            ["Sources:Probe:Interval"] = interval.ToString(),
            ["Sources:Probe:Deadline"] = deadline.ToString(),
            ["Sources:Network:Allow:0"] = "loopback",
        });
        builder.AddSources();
        var host = builder.Build();
        await host.StartAsync();
        return new InProcessNode(host, data, warnings);
    }

    /// <summary>What the API would hand the grain for a POSTGRES request: settings plus sealed secrets.</summary>
    public SourceConfig Postgres(long id, int port, string user, string password, string database, params string[] schemas)
    {
        var settings = new Dictionary<string, object>
        {
            ["type"] = "POSTGRES", ["account_name"] = "PostgreSQL", ["hostname"] = "127.0.0.1", ["port"] = port,
            ["username"] = user, ["database_name"] = database, ["ssl_mode"] = "disable",
        };
        if (schemas.Length > 0) settings["selected_schemas"] = schemas;
        var sealer = Services.GetRequiredService<SecretSealer>();
        var secrets = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["password"] = password });
        return new SourceConfig("POSTGRES", "PostgreSQL", JsonSerializer.Serialize(settings), sealer.Seal(secrets, id), ["password"]);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
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
