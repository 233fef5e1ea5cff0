using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Serialization;
using Orleans.Storage;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Storage;

/// <summary>Storage and clustering for the silo, for either <see cref="StorageMode"/>.</summary>
public static class SourcesStorageExtensions
{
    /// <summary>Name of the grain storage provider; it is also registered as the default provider.</summary>
    public const string StorageName = "sources";

    /// <summary>
    /// Configures clustering (localhost when embedded, ADO.NET on PostgreSQL otherwise), ADO.NET grain
    /// storage named <see cref="StorageName"/> and as default, both on the database the options
    /// choose; the schema is migrated first thing at silo start.
    /// </summary>
    /// <exception cref="ArgumentException">The options are incomplete for the chosen mode.</exception>
    public static ISiloBuilder UseSourcesStorage(this ISiloBuilder silo, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var database = StorageDatabase.From(options);

        silo.Services.AddSingleton(options);
        silo.Services.AddSingleton(sp => new SchemaMigrator(database, sp.GetService<ILogger<SchemaMigrator>>()));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaMigrationParticipant>();
        silo.Services.AddSingleton(_ => new SourceStore(database));
        silo.Services.AddSingleton(_ => new SchemaPageStore(database));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SourceColumnsBackfill>();
        silo.Services.AddSingleton(_ => new ProbeMarkStore(database));
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new IdempotencyExpiry(database, options, sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetService<ILogger<IdempotencyExpiry>>()));
        silo.Services.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });

        if (options.Mode == StorageMode.Embedded)
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        }
        else
        {
            silo.UseAdoNetClustering(clustering =>
            {
                clustering.Invariant = database.Invariant;
                clustering.ConnectionString = database.ConnectionString;
            });
        }

        silo.AddAdoNetGrainStorage(StorageName, storage => storage.Configure<Serializer>((options, serializer) =>
        {
            options.Invariant = database.Invariant;
            options.ConnectionString = database.ConnectionString;
            // Clearing a grain's state deletes its row rather than leaving an empty one behind.
            options.DeleteStateOnClear = true;
            // Orleans' own binary serializer, not the provider's default JSON (Newtonsoft with a
            // $type per object): profiling put that JSON at a third of the CPU of a create.
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));

        if (database.IsPostgres)
            RunOnceMoreOnDroppedConnections(silo.Services, database.ConnectionString);

        // The default provider is the same instance, not a second provider over the same table, so
        // that it initialises once and grains need not name the provider.
        silo.Services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
            (sp, _) => sp.GetRequiredKeyedService<IGrainStorage>(StorageName));
        silo.Services.TryAddSingleton<IGrainStorage>(sp => sp.GetRequiredKeyedService<IGrainStorage>(StorageName));

        return silo;
    }

    /// <summary>Wraps the grain storage just registered in <see cref="DroppedConnectionsGrainStorage"/>, under the same name.</summary>
    private static void RunOnceMoreOnDroppedConnections(IServiceCollection services, string connectionString)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, StorageName));
        var create = registered.KeyedImplementationFactory
            ?? throw new InvalidOperationException("The ADO.NET grain storage is expected to be registered by a factory.");
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(StorageName,
            (sp, key) => new DroppedConnectionsGrainStorage((IGrainStorage)create(sp, key), connectionString));
    }
}
