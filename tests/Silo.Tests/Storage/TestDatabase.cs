using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Sources.Silo.Storage;
using Sources.TestServers;

namespace Sources.Silo.Tests.Storage;

/// <summary>A fresh, empty storage database for one test, and plain SQL access to look inside it.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract StorageOptions Options { get; }

    /// <summary>Everything a migration could change, one string per row, in a stable order.</summary>
    public abstract Task<IReadOnlyList<string>> SchemaSnapshotAsync();

    /// <summary>The names of the tables the database holds.</summary>
    public abstract Task<IReadOnlyList<string>> TablesAsync();

    public static TestDatabase Embedded() => new SqliteTestDatabase();

    public static async Task<TestDatabase> PostgresAsync(PostgresServer server) =>
        new PostgresTestDatabase(await server.CreateDatabaseAsync());

    public async Task<long> CountAsync(string sql)
    {
        var rows = await RowsAsync(sql);
        return long.Parse(rows.Single());
    }

    public async Task<IReadOnlyList<string>> RowsAsync(string sql)
    {
        await using var connection = CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i)))));
        }

        return rows;
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected abstract DbConnection CreateConnection();

    private sealed class SqliteTestDatabase : TestDatabase
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("sources-sqlite-").FullName;

        public override StorageOptions Options => new() { Mode = StorageMode.Embedded, DataDirectory = _folder };

        public override async Task<IReadOnlyList<string>> SchemaSnapshotAsync() =>
        [
            .. await RowsAsync("SELECT type, name, sql FROM sqlite_master ORDER BY type, name"),
            .. await RowsAsync("SELECT QueryKey, QueryText FROM OrleansQuery ORDER BY QueryKey"),
            .. await RowsAsync("SELECT version, name, applied_at FROM sources_schema_version ORDER BY version"),
        ];

        public override Task<IReadOnlyList<string>> TablesAsync() => RowsAsync("SELECT name FROM sqlite_master WHERE type = 'table'");

        public override ValueTask DisposeAsync()
        {
            // Pooled connections keep the file open; release them before deleting the folder.
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
            return ValueTask.CompletedTask;
        }

        protected override DbConnection CreateConnection() =>
            new SqliteConnection($"Data Source={Path.Combine(_folder, "sources.db")};Pooling=False");
    }

    private sealed class PostgresTestDatabase(string connectionString) : TestDatabase
    {
        public override StorageOptions Options => new() { Mode = StorageMode.Postgres, ConnectionString = connectionString };

        public override async Task<IReadOnlyList<string>> SchemaSnapshotAsync() =>
        [
            .. await RowsAsync("""
                SELECT table_name, column_name, data_type, is_nullable, column_default
                FROM information_schema.columns WHERE table_schema = 'public'
                ORDER BY table_name, column_name
                """),
            .. await RowsAsync("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"),
            .. await RowsAsync("SELECT querykey, querytext FROM orleansquery ORDER BY querykey"),
            .. await RowsAsync("SELECT version, name, applied_at FROM sources_schema_version ORDER BY version"),
        ];

        public override Task<IReadOnlyList<string>> TablesAsync() =>
            RowsAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");

        protected override DbConnection CreateConnection() => new NpgsqlConnection(connectionString);
    }
}
