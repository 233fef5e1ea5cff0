using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sources.Silo.Hosting;
using Sources.Silo.Probing.BigQuery;
using Sources.Silo.Probing.ClickHouse;
using Sources.Silo.Probing.DuckDb;
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
        services.AddValidatedSettings<NetworkSettings, NetworkSettingsRules>(configuration, NetworkSettingsRules.Section);
        // Embedded mode runs on a developer's machine, where sources on loopback and the LAN are the point.
        if (embedded)
            services.PostConfigure<NetworkSettings>(network => { if (network.Allow.Count == 0) network.Allow = ["loopback", "private"]; });

        services.AddValidatedSettings<ProbeSettings, ProbeSettingsRules>(configuration, ProbeSettingsRules.Section);
        services.AddSingleton(sp => new NetworkPolicy(sp.GetRequiredService<NetworkSettings>()));
        services.AddValidatedSettings<SnowflakeSettings, SnowflakeSettingsRules>(configuration, SnowflakeSettingsRules.Section);
        services.AddValidatedSettings<BigQuerySettings, BigQuerySettingsRules>(configuration, BigQuerySettingsRules.Section);
        services.AddValidatedSettings<FileSettings, FileSettingsRules>(configuration, FileSettingsRules.Section);
        services.PostConfigure<FileSettings>(files => files.Directory ??= Path.Combine(dataDirectory, "files"));
        services.AddValidatedSettings<DuckDbLimits, DuckDbLimitsRules>(configuration, DuckDbLimitsRules.Section);
        services.AddValidatedSettings<MotherDuckSettings, MotherDuckSettingsRules>(configuration, MotherDuckSettingsRules.Section);
        services.TryAddSingleton(TimeProvider.System);
        // Probes are timed by the system clock: they do real I/O, whatever clock the node's schedule runs on.
        services.TryAddKeyedSingleton(Scheduling.ProbeScheduler.DeadlineClock, TimeProvider.System);
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
        // One bounded pool per node for blocking work: probes (the scheduler's) and settings checks alike.
        services.AddSingleton(sp => new Scheduling.BlockingWork(sp.GetRequiredService<ProbeSettings>().BlockingThreadCount));
        services.AddSingleton<SettingsChecks>();
        // The probe scheduler asks it before each probe and tells it each result (see AuthFailureLimits).
        services.AddValidatedSettings<AuthFailureSettings, AuthFailureSettingsRules>(configuration, AuthFailureSettingsRules.Section);
        services.AddSingleton<AuthFailureLimits>();
        services.AddSingleton(sp => new Scheduling.ProbeMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<Scheduling.ProbeScheduler>();
        return services;
    }

    public static ProbeSettings ProbeSettingsFrom(IConfiguration configuration) =>
        ValidatedSettings.Read<ProbeSettings>(configuration, ProbeSettingsRules.Section);
}
