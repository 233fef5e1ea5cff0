using System.Data.Common;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// The stored pages of sources' discoveries past the first (<c>sources_schema_page</c>): all of a
/// source's pages are replaced together, in one transaction, by the check that found them.
/// </summary>
public sealed class SchemaPageStore : IAsyncDisposable
{
    private readonly DbDataSource _database;

    public SchemaPageStore(StorageOptions options) : this(StorageDatabase.From(options))
    {
    }

    internal SchemaPageStore(StorageDatabase database) => _database = database.CreateDataSource();

    /// <summary>Puts <paramref name="pages"/> (pages 2, 3, … of the check at <paramref name="checkedAt"/>) in place of the source's earlier ones.</summary>
    public Task Replace(long sourceId, DateTimeOffset checkedAt, IReadOnlyList<string> pages) =>
        DroppedConnections.OnceMore(_database, async () =>
        {
            await using var connection = await _database.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await Run(connection, transaction, "DELETE FROM sources_schema_page WHERE source_id = @source_id", ("source_id", sourceId));
            for (var i = 0; i < pages.Count; i++)
                await Run(connection, transaction,
                    "INSERT INTO sources_schema_page (source_id, page, checked_at, body) VALUES (@source_id, @page, @checked_at, @body)",
                    ("source_id", sourceId), ("page", i + 2), ("checked_at", checkedAt.ToUnixTimeMilliseconds()), ("body", pages[i]));
            await transaction.CommitAsync();
            return true;
        });

    /// <summary>Page <paramref name="page"/> of the check at <paramref name="checkedAt"/>; null when the source holds no such page of that check.</summary>
    public Task<string?> Read(long sourceId, DateTimeOffset checkedAt, int page) =>
        DroppedConnections.OnceMore(_database, async () =>
        {
            await using var command = _database.Command(
                "SELECT body FROM sources_schema_page WHERE source_id = @source_id AND page = @page AND checked_at = @checked_at",
                ("source_id", sourceId), ("page", page), ("checked_at", checkedAt.ToUnixTimeMilliseconds()));
            return await command.ExecuteScalarAsync() as string;
        });

    public Task Delete(long sourceId) =>
        DroppedConnections.OnceMore(_database, async () =>
        {
            await using var command = _database.Command("DELETE FROM sources_schema_page WHERE source_id = @source_id", ("source_id", sourceId));
            return await command.ExecuteNonQueryAsync();
        });

    private static async Task Run(DbConnection connection, DbTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.Parameters.AddAll(command.CreateParameter, parameters);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
