using System.Data.Common;
using Sources.Silo.Scheduling;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// The marks of checks doing heavy work (table <c>sources_probe_mark</c>): one per source at most,
/// written by <see cref="Mark"/> before the work starts and removed when it ends. Each write is
/// one statement on its own connection, committed before the work it guards starts, so a node
/// that dies during the work leaves its mark behind.
/// </summary>
public sealed class ProbeMarkStore : IAsyncDisposable
{
    private const string Upsert = """
        INSERT INTO sources_probe_mark (source_id, node, probe, marked_at) VALUES (@source_id, @node, @probe, @marked_at)
        ON CONFLICT (source_id) DO UPDATE SET node = excluded.node, probe = excluded.probe, marked_at = excluded.marked_at
        """;

    private const string Delete = "DELETE FROM sources_probe_mark WHERE source_id = @source_id AND probe = @probe";

    private const string List = "SELECT source_id, node, probe, marked_at FROM sources_probe_mark ORDER BY marked_at LIMIT @limit";

    private readonly DbDataSource _database;

    internal ProbeMarkStore(StorageDatabase database) => _database = database.CreateDataSource();

    public ProbeMarkStore(StorageOptions options) : this(StorageDatabase.From(options))
    {
    }

    public Task Mark(ProbeMark mark) => DroppedConnections.OnceMore(_database, async () =>
    {
        await using var command = _database.Command(Upsert, ("source_id", mark.SourceId), ("node", mark.Node), ("probe", mark.Probe),
            ("marked_at", mark.MarkedAt.ToUnixTimeMilliseconds()));
        return await command.ExecuteNonQueryAsync();
    });

    /// <summary>Removes the mark of that very probe; a newer probe's mark of the source stays.</summary>
    public Task Remove(long sourceId, long probe) => DroppedConnections.OnceMore(_database, async () =>
    {
        await using var command = _database.Command(Delete, ("source_id", sourceId), ("probe", probe));
        return await command.ExecuteNonQueryAsync();
    });

    /// <summary>The oldest <paramref name="limit"/> marks.</summary>
    public Task<ProbeMark[]> Oldest(int limit) => DroppedConnections.OnceMore(_database, async () =>
    {
        await using var command = _database.Command(List, ("limit", limit));
        await using var reader = await command.ExecuteReaderAsync();
        var marks = new List<ProbeMark>();
        while (await reader.ReadAsync())
            marks.Add(new ProbeMark(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3))));
        return marks.ToArray();
    });

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
