using Orleans.Storage;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// The Orleans ADO.NET grain storage with <see cref="DroppedConnections"/>' rule: it opens its
/// connections from Npgsql's pool for its connection string, so after the database restarts the
/// first read or write on each idle one fails. Such a failure clears that pool, so the calls after it
/// open new connections; a read also runs once more, as our own stores' reads do. A write does not:
/// its first attempt may have reached the database, and a second one would then meet its own ETag
/// as a conflict, so it fails as it did (a 503 with Retry-After).
/// </summary>
internal sealed class DroppedConnectionsGrainStorage(IGrainStorage inner, string connectionString)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        try
        {
            await inner.ReadStateAsync(stateName, grainId, grainState);
        }
        catch (Exception failure) when (Dropped(failure))
        {
            DroppedConnections.Forget(connectionString);
            await inner.ReadStateAsync(stateName, grainId, grainState);
        }
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ForgettingPoolOnFailure(inner.WriteStateAsync(stateName, grainId, grainState));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ForgettingPoolOnFailure(inner.ClearStateAsync(stateName, grainId, grainState));

    public void Participate(ISiloLifecycle observer) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(observer);

    private async Task ForgettingPoolOnFailure(Task work)
    {
        try
        {
            await work;
        }
        catch (Exception failure) when (Dropped(failure))
        {
            DroppedConnections.Forget(connectionString);
            throw;
        }
    }

    /// <summary>The provider may wrap the driver's exception; any transient one in the chain counts.</summary>
    private static bool Dropped(Exception? failure) =>
        failure is not null && (DroppedConnections.Dropped(failure) || Dropped(failure.InnerException));
}
