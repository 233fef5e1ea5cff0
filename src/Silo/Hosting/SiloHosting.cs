using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Serialization;
using Sources.Silo.Grains.Ids;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Network;
using Sources.Silo.Probing.Postgres;
using Sources.Silo.Grains.Keys;
using Sources.Silo.Secrets;
using Sources.Silo.Storage;

namespace Sources.Silo.Hosting;

public static class SiloHosting
{
    /// <summary>
    /// Hosts a Sources silo in this process, on the storage the configuration names, with the
    /// services the edge and the grains share (sealing, ids, keys).
    /// </summary>
    public static SourcesSettings AddSourcesSilo(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(SourcesSettings.Section).Get<SourcesSettings>() ?? new SourcesSettings();
        settings.ConnectionString ??= builder.Configuration.GetConnectionString("Sources");
        if (settings.Mode == StorageMode.Postgres && string.IsNullOrWhiteSpace(settings.MasterKey))
            throw new InvalidOperationException("Sources:MasterKey is required in postgres mode: every node must seal and unseal with the same key.");

        var storage = settings.ToStorageOptions();
        var probing = builder.Configuration.GetSection("Sources:Probe").Get<ProbeSettings>() ?? new ProbeSettings();
        var network = builder.Configuration.GetSection("Sources:Network").Get<NetworkSettings>() ?? new NetworkSettings();
        // Embedded mode runs on a developer's machine, where sources on loopback and the LAN are the point.
        if (settings.Mode == StorageMode.Embedded && builder.Configuration.GetSection("Sources:Network:Allow").Value is null && network.Allow.Count == 0)
            network.Allow = ["loopback", "private"];

        builder.UseOrleans(silo =>
        {
            silo.UseSourcesStorage(storage);
            // A storage failure in a grain on one node must reach a caller on another node as itself
            // (a DbException: a 503), not as a failure to serialize it (a 500). Orleans ships only
            // exceptions from the namespaces it is told of, and Npgsql is not among its defaults.
            silo.Services.Configure<ExceptionSerializationOptions>(exceptions => exceptions.SupportedNamespacePrefixes.Add("Npgsql"));
            silo.Configure<ReminderOptions>(reminders =>
                reminders.MinimumReminderPeriod = probing.Interval < reminders.MinimumReminderPeriod ? probing.Interval : reminders.MinimumReminderPeriod);
            if (settings.Mode == StorageMode.Postgres)
                silo.ConfigureEndpoints(IPAddress.Loopback, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
        });

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(MasterKeys.Load(settings.MasterKey, settings.PreviousMasterKeys,
            Path.Combine(settings.DataDirectory, "master.key")));
        builder.Services.AddSingleton<SecretSealer>();
        builder.Services.AddSingleton<SourceSecrets>();
        builder.Services.AddSingleton(probing);
        builder.Services.AddSingleton(network);
        builder.Services.AddSingleton<NetworkPolicy>(sp => new NetworkPolicy(sp.GetRequiredService<NetworkSettings>()));
        builder.Services.AddSingleton<IProber, PostgresProber>();
        builder.Services.AddSingleton<IProber, Sources.Silo.Probing.Mcp.McpProber>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Sources:Snowflake").Get<Sources.Silo.Probing.Snowflake.SnowflakeSettings>() ?? new());
        builder.Services.AddSingleton<Sources.Silo.Probing.Snowflake.SnowflakeKeyPairs>();
        builder.Services.AddSingleton<IProber, Sources.Silo.Probing.Snowflake.SnowflakeProber>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Sources:BigQuery").Get<Sources.Silo.Probing.BigQuery.BigQuerySettings>() ?? new());
        builder.Services.AddSingleton<IProber, Sources.Silo.Probing.BigQuery.BigQueryProber>();
        builder.Services.AddSingleton<IProber, Sources.Silo.Probing.MotherDuck.MotherDuckProber>();
        builder.Services.AddSingleton(Sources.Silo.Probing.Files.FileSettings.From(builder.Configuration, settings.DataDirectory));
        builder.Services.AddSingleton<Sources.Silo.Probing.Files.FileDownloader>();
        builder.Services.AddSingleton<IProber, Sources.Silo.Probing.Files.FileProber>();
        builder.Services.AddSingleton<IProber, Sources.Silo.Probing.MySql.MySqlProber>();
        builder.Services.AddSingleton<IProber, Sources.Silo.Probing.MySql.SingleStoreProber>();
        builder.Services.AddSingleton<IProber, Sources.Silo.Probing.ClickHouse.ClickHouseProber>();
        builder.Services.AddSingleton<IProber, Sources.Silo.Probing.MsSql.MsSqlProber>();
        builder.Services.AddSingleton<IProber, Sources.Silo.Probing.MongoDb.MongoProber>();
        builder.Services.AddSingleton<ProbeRunner>();
        builder.Services.AddSingleton(sp => new IdBlocks(sp.GetRequiredService<IGrainFactory>()));
        builder.Services.AddSingleton<ApiKeys>();
        return settings;
    }
}
