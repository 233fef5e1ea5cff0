using System.Data.Common;
using Sources.Silo.Hosting;

namespace Sources.Silo.Storage;

/// <summary>
/// Whether the database this node stores in answers a trivial query now: the same database, and
/// the same connection string, that the stores open (<see cref="StorageDatabase"/>), through a
/// pool of its own so a readiness probe never waits behind the stores' work.
/// </summary>
public sealed class StorageReachability(SourcesSettings settings) : IAsyncDisposable
{
    private readonly DbDataSource _database = StorageDatabase.From(settings.ToStorageOptions()).CreateDataSource();

    /// <summary>Throws what the database or the driver said when it does not answer within <paramref name="cancellation"/>.</summary>
    public async Task Ask(CancellationToken cancellation)
    {
        await using var command = _database.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellation);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
