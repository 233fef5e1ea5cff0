namespace Sources.Silo.Storage;

/// <summary>
/// Runs the schema migration as the very first step of silo start-up, before membership and grain
/// storage read their statements from the OrleansQuery table.
/// </summary>
internal sealed class SchemaMigrationParticipant(SchemaMigrator migrator) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.First, async cancellationToken =>
            await migrator.MigrateAsync(cancellationToken));
}
