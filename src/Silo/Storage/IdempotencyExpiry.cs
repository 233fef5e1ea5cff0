using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Sources.Silo.Hosting;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Storage;

/// <summary>
/// Deletes idempotency records once their window is over. They are grain state rows (state name
/// "idempotency", one per account and Idempotency-Key) that nothing reads after 24 hours, so
/// without this every key ever sent would stay forever. Every <see cref="Period"/> each silo
/// deletes the rows last written more than <see cref="Retention"/> ago; the delete is one
/// statement and idempotent, so nodes sweeping at once do no harm.
/// </summary>
public sealed partial class IdempotencyExpiry : ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    /// <summary>The grain's window (24 h, <c>IdempotencyGrain.Window</c>) plus an hour, so a clock on a node that runs ahead of the database's cannot cut a window short.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(25);

    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    private const string StateName = "idempotency";

    private const string Delete = """
        DELETE FROM sources_grain_state
        WHERE service_id = @service AND grain_type = @state AND modified_at < @cutoff
        """;

    private readonly DbDataSource _database;
    private readonly bool _postgres;
    private readonly string _serviceId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public IdempotencyExpiry(StorageOptions options, TimeProvider time, ILogger<IdempotencyExpiry>? logger = null)
        : this(StorageDatabase.From(options), options, time, logger)
    {
    }

    internal IdempotencyExpiry(StorageDatabase database, StorageOptions options, TimeProvider time, ILogger<IdempotencyExpiry>? logger)
    {
        _database = database.CreateDataSource();
        _postgres = database.IsPostgres;
        _serviceId = options.ServiceId;
        _time = time;
        _logger = logger ?? NullLogger<IdempotencyExpiry>.Instance;
    }

    public void Participate(ISiloLifecycle lifecycle)
    {
        var loop = new NodeLoop(Period, _time, async stop =>
        {
            if (await DeleteExpired(stop) is > 0 and var deleted)
                Deleted(_logger, deleted);
        }, ex => Failed(_logger, ex.GetType().Name));
        lifecycle.Subscribe(nameof(IdempotencyExpiry), ServiceLifecycleStage.Active, loop.Start, loop.Stop);
    }

    /// <summary>Deletes the records last written before now minus <see cref="Retention"/>; answers how many went.</summary>
    public async Task<int> DeleteExpired(CancellationToken cancellation = default)
    {
        var cutoff = (_time.GetUtcNow() - Retention).ToUniversalTime();
        // modified_at is written by the database: timestamptz on PostgreSQL, UTC text on SQLite
        // (strftime's format, which compares in time order as text).
        object bound = _postgres ? cutoff : cutoff.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        return await DroppedConnections.OnceMore(_database, async () =>
        {
            await using var command = _database.Command(Delete, ("service", _serviceId), ("state", StateName), ("cutoff", bound));
            return await command.ExecuteNonQueryAsync(cancellation);
        });
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} expired idempotency records")]
    private static partial void Deleted(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expired idempotency records could not be deleted ({Exception}); the next tick tries again")]
    private static partial void Failed(ILogger logger, string exception);
}
