using Sources.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sources.Silo.Probing.DuckDb;
using Sources.Silo.Probing.BigQuery;
using Sources.Silo.Probing.ClickHouse;
using Sources.Silo.Probing.Files;
using Sources.Silo.Probing.Mcp;
using Sources.Silo.Probing.MongoDb;
using Sources.Silo.Probing.MotherDuck;
using Sources.Silo.Probing.MsSql;
using Sources.Silo.Probing.MySql;
using Sources.Silo.Probing.Network;
using Sources.Silo.Probing.Postgres;
using Sources.Silo.Probing.Snowflake;
using Sources.Silo.Probing.Targets;

namespace Sources.Silo.Probing;

public static class ProbingServices
{
    /// <summary>
    /// Every prober, the network policy they all go through, the runner that runs one probe and
    /// the scheduler that decides when. The edge needs them too: settings checks at create time are the probers'.
    /// </summary>
    public static IServiceCollection AddProbing(this IServiceCollection services, IConfiguration configuration, bool embedded, string dataDirectory)
    {
        var network = configuration.GetSection("Sources:Network").Get<NetworkSettings>() ?? new NetworkSettings();
        // Embedded mode runs on a developer's machine, where sources on loopback and the LAN are the point.
        if (embedded && network.Allow.Count == 0)
            network.Allow = ["loopback", "private"];

        services.AddValidatedSettings<ProbeSettings, ProbeSettingsRules>(configuration, ProbeSettingsRules.Section);
        services.AddSingleton(network);
        services.AddSingleton(sp => new NetworkPolicy(sp.GetRequiredService<NetworkSettings>()));
        services.AddSingleton(configuration.GetSection("Sources:Snowflake").Get<SnowflakeSettings>() ?? new());
        services.AddSingleton(configuration.GetSection("Sources:BigQuery").Get<BigQuerySettings>() ?? new());
        services.AddSingleton(FileSettings.From(configuration, dataDirectory));
        services.AddSingleton(DuckDbLimits.From(configuration));
        services.AddSingleton(configuration.GetSection("Sources:MotherDuck").Get<MotherDuckSettings>() ?? new());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MotherDuckExtension>();
        services.AddSingleton<SourceFiles>();
        services.AddSingleton<SnowflakeKeyPairs>();
        services.AddSingleton<FileDownloader>();

        services.AddSingleton<IProber, PostgresProber>();
        services.AddSingleton<IProber, MySqlProber>();
        services.AddSingleton<IProber, SingleStoreProber>();
        services.AddSingleton<IProber, ClickHouseProber>();
        services.AddSingleton<IProber, MsSqlProber>();
        services.AddSingleton<IProber, MongoProber>();
        services.AddSingleton<IProber, SnowflakeProber>();
        services.AddSingleton<IProber, BigQueryProber>();
        services.AddSingleton<IProber, MotherDuckProber>();
        services.AddSingleton<IProber, McpProber>();
        services.AddSingleton<IProber, FileProber>();
        services.AddSingleton<ProbeRunner>();
        // The probe scheduler asks it before each probe and tells it each result (see AuthFailureLimits).
        services.AddSingleton(configuration.GetSection("Sources:Probe:AuthFailures").Get<AuthFailureSettings>() ?? new AuthFailureSettings());
        services.AddSingleton<AuthFailureLimits>();
        services.AddSingleton(sp => new Scheduling.ProbeMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<Scheduling.ProbeScheduler>();
        return services;
    }

    public static ProbeSettings ProbeSettingsFrom(IConfiguration configuration) =>
        configuration.GetSection("Sources:Probe").Get<ProbeSettings>() ?? new ProbeSettings();
}
