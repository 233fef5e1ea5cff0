using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Hosting;
using Sources.Silo.Secrets;
using Sources.TestServers;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// A real Sources silo in this process, on real storage (embedded SQLite in a temp folder, or a
/// PostgreSQL database), with a short check interval so periodic checks happen within a test.
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    private readonly IHost _host;

    private SiloHost(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    /// <summary>The sources this node's grains published for gets to read without a call.</summary>
    public ActiveSources Active => _host.Services.GetRequiredService<ActiveSources>();

    /// <param name="cluster">Postgres mode's "Sources:Cluster" settings; by default one self-signed certificate.</param>
    /// <param name="sweep">False for a node that never pokes due sources itself: the test pokes them.</param>
    public static async Task<SiloHost> Start(string dataDirectory, string? postgres = null, TimeSpan? interval = null, TimeSpan? deadline = null,
        IReadOnlyDictionary<string, string?>? cluster = null, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null, bool sweep = true)
    {
        var builder = Host.CreateApplicationBuilder();
        if (postgres is not null)
            builder.Configuration.AddInMemoryCollection(cluster ?? ClusterCertificate(dataDirectory));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sources:Storage"] = postgres is null ? "embedded" : "postgres",
            ["Sources:ConnectionString"] = postgres,
            ["Sources:MasterKey"] = postgres is null ? null : Convert.ToBase64String(new byte[32]),
            ["Sources:DataDirectory"] = dataDirectory,
            ["Sources:SiloPort"] = FreePort.Next().ToString(),
            ["Sources:GatewayPort"] = FreePort.Next().ToString(),
            ["Sources:Probe:Interval"] = (interval ?? TimeSpan.FromSeconds(2)).ToString(),
            ["Sources:Probe:Deadline"] = (deadline ?? TimeSpan.FromSeconds(5)).ToString(),
            ["Sources:Network:Allow:0"] = "loopback",
            ["Sources:Probe:Sweep"] = sweep.ToString(),
        });
        if (settings is not null)
            builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSources();
        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new SiloHost(host);
    }

    /// <summary>
    /// A node of role client (no silo: an API joined to the cluster) on the cluster's database, built
    /// and not started, so a test may add services first.
    /// </summary>
    public static HostApplicationBuilder Client(IReadOnlyDictionary<string, string?> cluster, string database, string dataDirectory)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(cluster);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sources:Storage"] = "postgres",
            ["Sources:Role"] = "client",
            ["Sources:ConnectionString"] = database,
            ["Sources:MasterKey"] = Convert.ToBase64String(new byte[32]),
            ["Sources:DataDirectory"] = dataDirectory,
        });
        builder.AddSources();
        return builder;
    }

    /// <summary>Postgres mode's transport: one self-signed certificate, which the node pins.</summary>
    public static Dictionary<string, string?> ClusterCertificate(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        using var certificate = TestCertificates.SelfSigned("lifecycle node");
        var (certificatePath, keyPath) = TestCertificates.WritePem(certificate, dataDirectory, "cluster");
        return new() { ["Sources:Cluster:Certificate"] = certificatePath, ["Sources:Cluster:CertificateKey"] = keyPath };
    }

    /// <summary>What the API would hand the grain for a POSTGRES request: settings plus sealed secrets.</summary>
    public SourceConfig Postgres(long id, int port, string user, string password, string database, params string[] selectedSchemas)
    {
        var settings = new Dictionary<string, object>
        {
            ["type"] = "POSTGRES", ["account_name"] = "PostgreSQL", ["hostname"] = "127.0.0.1", ["port"] = port,
            ["username"] = user, ["database_name"] = database,
            // The suite's PostgreSQL speaks no TLS.
            ["ssl_mode"] = "disable",
        };
        if (selectedSchemas.Length > 0) settings["selected_schemas"] = selectedSchemas;
        var sealer = _host.Services.GetRequiredService<SecretSealer>();
        var secrets = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["password"] = password });
        return new SourceConfig("POSTGRES", "PostgreSQL", JsonSerializer.Serialize(settings), sealer.Seal(secrets, id), ["password"]);
    }

    /// <summary>Asks until the source meets the condition; fails after a generous limit, never sleeps blind.</summary>
    public Task<SourceRecord> WaitFor(long id, Func<SourceRecord, bool> condition, string what)
    {
        var grain = Grains.GetGrain<ISourceGrain>(id);
        return Poll.Until(async () => await grain.Get(Account) is { } record && condition(record) ? record : null,
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60), $"source {id}: {what}");
    }

    public const string Account = "acme";

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
