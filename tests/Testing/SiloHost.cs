using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Hosting;
using Sources.Silo.Probing;
using Sources.Silo.Secrets;
using Sources.Silo.Storage;
using Sources.TestServers;

namespace Sources.Testing;

/// <summary>
/// A real Sources silo in this process on fresh loopback ports: the whole node as the service runs
/// it (<see cref="Start"/>), or the storage layer alone under Orleans (<see cref="StartStorage"/>).
/// Either reads no environment or appsettings file, logs warnings to the console, and runs on the
/// clock it is given (<see cref="SiloClock"/>).
/// </summary>
public sealed class SiloHost : IAsyncDisposable
{
    private readonly IHost _host;

    private SiloHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>The sources this node's grains published for gets to read without a call.</summary>
    public ActiveSources Active => Services.GetRequiredService<ActiveSources>();

    /// <summary>The account the sources of these tests belong to.</summary>
    public const string Account = "acme";

    /// <summary>
    /// The whole node (<c>AddSources</c>) on embedded storage in <paramref name="dataDirectory"/>, or
    /// on the <paramref name="postgres"/> database, with loopback sources allowed and a short check
    /// interval and deadline so periodic checks happen within a test.
    /// </summary>
    /// <param name="cluster">Postgres mode's "Sources:Cluster" settings; by default one self-signed certificate.</param>
    /// <param name="settings">Any further settings, over the ones above.</param>
    /// <param name="services">Runs after the node's own services are added: a test prober, a grain call filter, a logger.</param>
    /// <param name="sweep">False for a node that never pokes due sources itself: the test pokes them.</param>
    /// <param name="time">The node's clock (see <see cref="SiloClock"/>); the system clock by default.</param>
    public static Task<SiloHost> Start(string dataDirectory, string? postgres = null, TimeSpan? interval = null, TimeSpan? deadline = null,
        IReadOnlyDictionary<string, string?>? cluster = null, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null, bool sweep = true, TimeProvider? time = null)
    {
        var builder = NewBuilder();
        if (postgres is not null)
            builder.Configuration.AddInMemoryCollection(cluster ?? ClusterCertificate(dataDirectory));
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
        return Started(builder, time);
    }

    /// <summary>
    /// Orleans with the storage layer under test (<c>UseSourcesStorage</c>) and nothing else of the
    /// node: no probing, no sweeps; grains of the test assembly are hosted too.
    /// </summary>
    public static Task<SiloHost> StartStorage(StorageOptions options, TimeProvider? time = null)
    {
        int siloPort = FreePort.Next(), gatewayPort = FreePort.Next();
        var builder = NewBuilder();
        builder.UseOrleans(silo =>
        {
            if (options.Mode == StorageMode.Embedded)
                silo.UseSourcesStorage(options with { SiloPort = siloPort, GatewayPort = gatewayPort });
            else
            {
                // In cluster mode the host owns its endpoints; two silos in one test need distinct ones.
                silo.UseSourcesStorage(options);
                silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
            }
        });
        builder.Services.AddSingleton(TimeProvider.System);
        return Started(builder, time);
    }

    /// <summary>
    /// A node of role client (no silo: an API joined to the cluster) on the cluster's database, built
    /// and not started, so a test may add services first.
    /// </summary>
    public static HostApplicationBuilder Client(IReadOnlyDictionary<string, string?> cluster, string database, string dataDirectory)
    {
        var builder = NewBuilder();
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
        using var certificate = TestCertificates.SelfSigned("test node");
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
        var sealer = Services.GetRequiredService<SecretSealer>();
        var secrets = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["password"] = password });
        return new SourceConfig("POSTGRES", "PostgreSQL", JsonSerializer.Serialize(settings), sealer.Seal(secrets, id), ["password"]);
    }

    /// <summary>
    /// Asks until the source meets the condition; fails after a generous limit, never sleeps blind.
    /// Given the node's fake clock, moves it on by one check interval before each ask, so every ask
    /// finds the source's next check due and the sweep's next tick passed.
    /// </summary>
    public Task<SourceRecord> WaitFor(long id, Func<SourceRecord, bool> condition, string what, FakeTimeProvider? advancing = null)
    {
        var grain = Grains.GetGrain<ISourceGrain>(id);
        var interval = Services.GetRequiredService<ProbeSettings>().Interval;
        return Poll.Until(async () =>
        {
            advancing?.Advance(interval);
            return await grain.Get(Account) is { } record && condition(record) ? record : null;
        }, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60), $"source {id}: {what}");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static HostApplicationBuilder NewBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    private static async Task<SiloHost> Started(HostApplicationBuilder builder, TimeProvider? time)
    {
        if (time is not null)
            SiloClock.Use(builder.Services, time);
        var host = builder.Build();
        await host.StartAsync();
        return new SiloHost(host);
    }
}
