using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Sources.Silo.Storage;

/// <summary>SQLite: one file, one node. Each migration runs in a BEGIN IMMEDIATE transaction, which
/// already excludes any other writer, so no further lock is needed.</summary>
internal sealed class SqliteDialect : ISchemaDialect
{
    public string ScriptFolder => "Sqlite";

    public string CreateVersionTableSql => """
        CREATE TABLE IF NOT EXISTS sources_schema_version
        (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
        )
        """;

    public async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // Write-ahead logging lets readers proceed while the grain storage and the sources table write.
        // It is a property of the file, so setting it once here covers every later connection; it
        // cannot be changed inside a transaction, which is why it is not in a migration script.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public Task<IAsyncDisposable> LockAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable>(NoLock.Instance);

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
