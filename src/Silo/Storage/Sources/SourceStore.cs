using System.Text.Json.Nodes;
using System.Data.Common;
using Orleans.Storage;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// The sources table: each source's grain state, its place in its account's listing, the columns
/// the listing filters by and when its next health check is due, in one row (the listing's reads
/// are <see cref="SourceListingStore"/>). Writes are group committed (<see cref="GroupCommit"/>);
/// every write names the version it read, so a stale writer changes nothing.
/// </summary>
public sealed class SourceStore : IAsyncDisposable
{
    private readonly DbDataSource _database;
    private readonly SourceStatements _statements;
    private readonly GroupCommit _writes;

    public SourceStore(StorageOptions options) : this(StorageDatabase.From(options))
    {
    }

    internal SourceStore(StorageDatabase database)
    {
        _database = database.CreateDataSource();
        // SQLite has one writer per file anyway; PostgreSQL takes a second group while one commits.
        (_statements, var writers) = database.IsPostgres ? (SourceStatements.Postgres, 2) : (SourceStatements.Sqlite, 1);
        _writes = new GroupCommit(_database, writers);
    }

    public Task<StoredRow?> Read(long id) => DroppedConnections.OnceMore(_database, () => ReadOnce(id));

    private async Task<StoredRow?> ReadOnce(long id)
    {
        await using var command = _database.Command(SourceStatements.Read, ("id", id));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        var row = new SourceRow(id, reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), ColumnsOf(reader, 5));
        return new StoredRow(row, reader.GetInt32(4));
    }

    private static SourceColumns? ColumnsOf(DbDataReader reader, int first)
    {
        if (reader.IsDBNull(first)) return null;
        DateTimeOffset? Time(int i) => reader.IsDBNull(first + i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + i));
        return new SourceColumns(reader.GetString(first), Time(1), reader.GetString(first + 2), reader.GetString(first + 3),
            Time(4)!.Value, Time(5)!.Value, Time(6));
    }

    /// <summary>Stores a new source; null when its id is taken already.</summary>
    public async Task<int?> Insert(SourceRow row) =>
        await _writes.Write(SourceStatements.Insert, [("id", row.Id), ("account", row.Account), ("type", row.Type),
            ("payload", row.Payload), ("due_at", row.DueAt.ToUnixTimeMilliseconds()), .. ColumnsOf(row)]) == 1 ? 1 : null;

    /// <summary>Replaces the row written at <paramref name="version"/>; answers the new version.</summary>
    /// <exception cref="InconsistentStateException">Another writer changed or removed the row since.</exception>
    public async Task<int> Update(SourceRow row, int version)
    {
        var affected = await _writes.Write(SourceStatements.Update, [("id", row.Id), ("payload", row.Payload),
            ("due_at", row.DueAt.ToUnixTimeMilliseconds()), ("row_version", version), .. ColumnsOf(row)]);
        return affected == 1
            ? version + 1
            : throw new InconsistentStateException($"Source {row.Id} was changed elsewhere since version {version}.");
    }

    private static (string Name, object Value)[] ColumnsOf(SourceRow row) =>
        (row.Columns ?? throw new ArgumentException($"Source {row.Id} is written without its listing columns.", nameof(row))).Parameters();

    public Task Delete(long id) => _writes.Write(SourceStatements.Delete, ("id", id));

    /// <summary>Up to <paramref name="limit"/> rows stored before the listing's columns existed and not filled since, created after <paramref name="after"/>.</summary>
    public Task<UnfilledRow[]> Unfilled(long after, int limit) => DroppedConnections.OnceMore(_database, async () =>
    {
        await using var command = _database.Command(SourceStatements.Unfilled, ("after", after), ("limit", limit));
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<UnfilledRow>(limit);
        while (await reader.ReadAsync())
            rows.Add(new UnfilledRow(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2), reader.GetInt32(3)));
        return rows.ToArray();
    });

    /// <summary>Fills the listing's columns of a row still at <paramref name="version"/>; false when its grain wrote it since.</summary>
    public async Task<bool> Fill(long id, int version, SourceColumns columns) =>
        await _writes.Write(SourceStatements.Fill, [("id", id), ("row_version", version), .. columns.Parameters()]) == 1;

    /// <summary>
    /// Claims up to <paramref name="limit"/> sources whose check is due, holding them until
    /// <paramref name="leaseUntil"/>; sources of the accounts in <paramref name="skip"/> are left due.
    /// </summary>
    public Task<long[]> ClaimDue(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, IReadOnlyCollection<string>? skip = null) =>
        DroppedConnections.OnceMore(_database, () => ClaimDueOnce(now, leaseUntil, limit, skip ?? []));

    private async Task<long[]> ClaimDueOnce(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, IReadOnlyCollection<string> skip)
    {
        var skipped = new JsonArray([.. skip.Select(account => (JsonNode)account)]).ToJsonString();
        await using var command = _database.Command(_statements.ClaimDue,
            ("now", now.ToUnixTimeMilliseconds()), ("lease_until", leaseUntil.ToUnixTimeMilliseconds()), ("limit", limit), ("skip", skipped));
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
            ids.Add(reader.GetInt64(0));
        return [.. ids];
    }

    /// <summary>When the check that has waited longest fell due, or null when none is due.</summary>
    public Task<DateTimeOffset?> OldestDue(DateTimeOffset now) =>
        DroppedConnections.OnceMore(_database, async () =>
        {
            await using var command = _database.Command(SourceStatements.OldestDue, ("now", now.ToUnixTimeMilliseconds()));
            return await command.ExecuteScalarAsync() is long due ? DateTimeOffset.FromUnixTimeMilliseconds(due) : (DateTimeOffset?)null;
        });

    public async ValueTask DisposeAsync()
    {
        await _writes.DisposeAsync();
        await _database.DisposeAsync();
    }
}
