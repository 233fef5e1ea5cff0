using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sources.Silo.Storage;

/// <summary>
/// Brings the storage database up to the newest embedded schema script. Idempotent: applied versions
/// are recorded in sources_schema_version, and each script runs in its own transaction together with
/// its record, so a crash leaves either all of a script or none of it. Safe when several nodes start
/// at once (see <see cref="ISchemaDialect.LockAsync"/>).
/// </summary>
public sealed partial class SchemaMigrator
{
    private readonly StorageDatabase _database;
    private readonly ILogger _logger;

    public SchemaMigrator(StorageOptions options, ILogger<SchemaMigrator>? logger = null)
        : this(StorageDatabase.From(Validated(options)), logger)
    {
    }

    internal SchemaMigrator(StorageDatabase database, ILogger<SchemaMigrator>? logger)
    {
        _database = database;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Applies the scripts not applied yet.</summary>
    /// <returns>The versions applied by this call, oldest first; empty when the schema was current.</returns>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var dialect = _database.Dialect;
        var migrations = Migration.Load(dialect.ScriptFolder);
        await using var connection = await dialect.OpenAsync(_database.ConnectionString, cancellationToken);
        await using var exclusive = await dialect.LockAsync(connection, cancellationToken);
        await ExecuteAsync(connection, null, dialect.CreateVersionTableSql, cancellationToken);

        var applied = new List<int>();
        foreach (var migration in migrations)
        {
            // Checked inside the transaction: on SQLite that transaction is what keeps other writers out.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            if (await IsAppliedAsync(connection, transaction, migration.Version, cancellationToken))
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await ExecuteAsync(connection, transaction, "INSERT INTO sources_schema_version (version, name) VALUES (@version, @name)",
                cancellationToken, ("version", migration.Version), ("name", migration.Name));
            await transaction.CommitAsync(cancellationToken);
            applied.Add(migration.Version);
            LogApplied(migration.Version, migration.Name, dialect.ScriptFolder);
        }

        if (applied.Count == 0)
        {
            LogCurrent(migrations[^1].Version, dialect.ScriptFolder);
        }

        return applied;
    }

    private static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT COUNT(*) FROM sources_schema_version WHERE version = @version", ("version", version));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken)) > 0;
    }

    private static async Task ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddAll(command.CreateParameter, parameters);
        return command;
    }

    private static StorageOptions Validated(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Engine} schema migration {Version} ({Name}).")]
    private partial void LogApplied(int version, string name, string engine);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Engine} schema is current at version {Version}.")]
    private partial void LogCurrent(int version, string engine);
}
