using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Serialization;
using Sources.Silo.Grains;
using Sources.Silo.Grains.Ids;
using Sources.Silo.Grains.Keys;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Listing;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Files;
using Sources.Silo.Secrets;
using Sources.Silo.Storage;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Hosting;

public static class SiloHosting
{
    /// <summary>
    /// Hosts a Sources silo in this process (roles all and silo), or joins an external cluster
    /// as a client (role client), with the services the edge and the grains share.
    /// </summary>
    public static SourcesSettings AddSources(this IHostApplicationBuilder builder)
    {
        var settings = SourcesSettings.From(builder.Configuration);
        var transport = ClusterTransport.For(settings);
        var failover = ClusterFailoverSettings.From(builder.Configuration);
        if (transport is null)
            builder.Services.AddHostedService<InsecureTransportWarning>();
        if (settings.Role == SourcesRole.Client)
            builder.UseOrleansClient(client =>
            {
                client.UseAdoNetClustering(clustering =>
                {
                    clustering.Invariant = StorageDatabase.PostgresInvariant;
                    clustering.ConnectionString = settings.ConnectionString;
                }).Configure<ClusterOptions>(cluster => { cluster.ClusterId = settings.ClusterId; cluster.ServiceId = settings.ToStorageOptions().ServiceId; });
                if (transport is not null)
                    client.UseTls(transport.Configure);
                client.Configure<GatewayOptions>(failover.Configure);
                client.Configure<ClientMessagingOptions>(failover.Configure);
                if (Telemetry.Enabled(builder.Configuration))
                    client.AddActivityPropagation();
            });
        else
            builder.UseOrleans(silo =>
            {
                ConfigureSilo(silo, settings, transport, failover, ProbingServices.ProbeSettingsFrom(builder.Configuration),
                    FileSettings.From(builder.Configuration, settings.DataDirectory));
                // A grain call carries the caller's trace only when someone collects traces: the
                // filter that carries it runs on every call.
                if (Telemetry.Enabled(builder.Configuration))
                    silo.AddActivityPropagation();
            });

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(failover);
        builder.Services.AddSingleton<LostNodeRetry>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(MasterKeys.Load(settings.MasterKey, settings.PreviousMasterKeys,
            Path.Combine(settings.DataDirectory, "master.key")));
        builder.Services.AddSingleton<SecretSealer>();
        builder.Services.AddSingleton<SourceSecrets>();
        builder.Services.AddProbing(builder.Configuration, settings.Mode == StorageMode.Embedded, settings.DataDirectory);
        builder.AddSourcesTelemetry();
        builder.Services.AddSingleton(sp => new IdBlocks(sp.GetRequiredService<GrainReferences>(), sp.GetRequiredService<LostNodeRetry>()));
        builder.Services.AddSingleton<GrainReferences>();
        // Empty on a client of an external cluster, which holds no grains: its gets all ask the grain.
        builder.Services.AddSingleton<ActiveSources>();
        // The listing reads the sources table itself in every role (a client too), asking no grain.
        builder.Services.AddSingleton(_ => new SourceListingStore(settings.ToStorageOptions()));
        builder.Services.AddSingleton<SourcePages>();
        builder.Services.AddSingleton<ApiKeys>();
        return settings;
    }

    private static void ConfigureSilo(ISiloBuilder silo, SourcesSettings settings, ClusterTransport? transport, ClusterFailoverSettings failover, ProbeSettings probing, FileSettings files)
    {
        silo.UseSourcesStorage(settings.ToStorageOptions());
        if (transport is not null)
            silo.UseTls(transport.Configure);
        // A storage failure in a grain on one node must reach a caller on another node as itself
        // (a DbException: a 503), not as a failure to serialize it (a 500). Orleans ships only
        // exceptions from the namespaces it is told of, and Npgsql is not among its defaults.
        silo.Services.Configure<ExceptionSerializationOptions>(exceptions => exceptions.SupportedNamespacePrefixes.Add("Npgsql"));
        // A check that takes its node down is not run again by itself (docs/probing.md).
        silo.Services.AddSingleton<Scheduling.IProbeMarks, SiloProbeMarks>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ProbeMarkRecovery>();
        // Periodic checks: each silo sweeps the sources table for checks that are due.
        if (probing.Sweep)
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, HealthSweep>();
        // Each node keeps its own disk to the FILE sources that exist (interrupted imports, deleted sources).
        if (files.Sweep)
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SourceFilesSweep>();
        silo.Configure<SiloMessagingOptions>(failover.Configure);
        if (settings.Mode == StorageMode.Postgres)
        {
            ConfigureClusterEndpoints(silo, settings);
            // How fast a lost node is declared dead, so that its grains answer again elsewhere (docs/cluster.md).
            silo.Configure<ClusterMembershipOptions>(failover.Configure);
            silo.Configure<GrainDirectoryOptions>(ClusterFailoverSettings.Configure);
        }
        else
            // The API of role all calls its grains in-process, and role client needs postgres
            // mode: an embedded node has no client to serve, so it opens no gateway at all.
            silo.Configure<EndpointOptions>(endpoints => endpoints.GatewayPort = 0);
    }

    /// <summary>Listens on the advertised address only, or on <see cref="SourcesSettings.ListenAddress"/> when set.</summary>
    private static void ConfigureClusterEndpoints(ISiloBuilder silo, SourcesSettings settings)
    {
        silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedAddress), settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
        if (settings.ListenAddress is { } listen)
            silo.Configure<EndpointOptions>(endpoints =>
            {
                endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Parse(listen), settings.SiloPort);
                endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Parse(listen), settings.GatewayPort);
            });
    }
}
