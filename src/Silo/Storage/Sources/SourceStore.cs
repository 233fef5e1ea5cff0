using System.Data.Common;
using Orleans.Storage;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// The sources table: each source's grain state, its place in its account's listing and when its
/// next health check is due, in one row. Writes are group committed (<see cref="GroupCommit"/>);
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
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)));
        return new StoredRow(row, reader.GetInt32(4));
    }

    /// <summary>Stores a new source; null when its id is taken already.</summary>
    public async Task<int?> Insert(SourceRow row) =>
        await _writes.Write(SourceStatements.Insert, ("id", row.Id), ("account", row.Account), ("type", row.Type),
            ("payload", row.Payload), ("due_at", row.DueAt.ToUnixTimeMilliseconds())) == 1 ? 1 : null;

    /// <summary>Replaces the row written at <paramref name="version"/>; answers the new version.</summary>
    /// <exception cref="InconsistentStateException">Another writer changed or removed the row since.</exception>
    public async Task<int> Update(SourceRow row, int version)
    {
        var affected = await _writes.Write(SourceStatements.Update, ("id", row.Id), ("payload", row.Payload),
            ("due_at", row.DueAt.ToUnixTimeMilliseconds()), ("row_version", version));
        return affected == 1
            ? version + 1
            : throw new InconsistentStateException($"Source {row.Id} was changed elsewhere since version {version}.");
    }

    public Task Delete(long id) => _writes.Write(SourceStatements.Delete, ("id", id));

    /// <summary>Up to <paramref name="limit"/> of the account's sources created before <paramref name="before"/>, newest first.</summary>
    public Task<SourceListEntry[]> Page(string account, long before, int limit, string? type) =>
        DroppedConnections.OnceMore(_database, () => PageOnce(account, before, limit, type));

    private async Task<SourceListEntry[]> PageOnce(string account, long before, int limit, string? type)
    {
        (string, object)[] parameters = [("account", account), ("before", before), ("limit", limit)];
        await using var command = type is null
            ? _database.Command(SourceStatements.Page, parameters)
            : _database.Command(SourceStatements.PageOfType, [.. parameters, ("type", type)]);
        await using var reader = await command.ExecuteReaderAsync();
        var page = new List<SourceListEntry>(limit);
        while (await reader.ReadAsync())
            page.Add(new SourceListEntry(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        return [.. page];
    }

    /// <summary>How many sources the account holds now.</summary>
    public Task<int> Count(string account) => DroppedConnections.OnceMore(_database, () => CountOnce(account));

    private async Task<int> CountOnce(string account)
    {
        await using var command = _database.Command(SourceStatements.CountOfAccount, ("account", account));
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Claims up to <paramref name="limit"/> sources whose check is due, holding them until <paramref name="leaseUntil"/>.</summary>
    public Task<long[]> ClaimDue(DateTimeOffset now, DateTimeOffset leaseUntil, int limit) =>
        DroppedConnections.OnceMore(_database, () => ClaimDueOnce(now, leaseUntil, limit));

    private async Task<long[]> ClaimDueOnce(DateTimeOffset now, DateTimeOffset leaseUntil, int limit)
    {
        await using var command = _database.Command(_statements.ClaimDue,
            ("now", now.ToUnixTimeMilliseconds()), ("lease_until", leaseUntil.ToUnixTimeMilliseconds()), ("limit", limit));
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
