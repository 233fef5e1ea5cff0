using System.Data.Common;
using Npgsql;

namespace Sources.Silo.Storage;

/// <summary>PostgreSQL: several nodes may start at once, so migrating is serialised with an advisory lock.</summary>
internal sealed class PostgresDialect : ISchemaDialect
{
    /// <summary>Advisory lock key for schema migration ("Sources" in ASCII); advisory locks are per
    /// database, so this only excludes other migrators of the same database.</summary>
    private const long MigrationLockKey = 0x536F7572636573;

    public string ScriptFolder => "Postgres";

    public string CreateVersionTableSql => """
        CREATE TABLE IF NOT EXISTS sources_schema_version
        (
            version    integer     NOT NULL PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    public async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task<IAsyncDisposable> LockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Session-level lock: held across all migrations, each of which commits on its own. No command
        // timeout, since another node may be in the middle of a long migration; cancellation still works.
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, timeoutSeconds: 0);
        return new Release(connection);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken, int? timeoutSeconds = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (timeoutSeconds is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        var key = command.CreateParameter();
        key.ParameterName = "key";
        key.Value = MigrationLockKey;
        command.Parameters.Add(key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed class Release(DbConnection connection) : IAsyncDisposable
    {
        // Closing the connection would also drop the lock, but a pooled connection is not really closed.
        public async ValueTask DisposeAsync() =>
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
    }
}
