using Npgsql;

namespace Sources.Load;

/// <summary>
/// What the service's database did during a run: commits and row writes per table
/// (pg_stat_database, pg_stat_user_tables), and what its connections were doing, sampled from
/// pg_stat_activity. Tells how many round trips a create costs and whether PostgreSQL was the
/// busy side.
/// </summary>
public sealed class PostgresCounters(string connectionString)
{
    /// <summary>
    /// A backend that goes idle reports its counters within PostgreSQL's idle flush interval
    /// (10 s in PostgreSQL 15); waiting this long before a snapshot makes it exact.
    /// </summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(10.5);

    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(20);

    public sealed record Snapshot(long Commits, IReadOnlyDictionary<string, long> RowWrites);

    /// <summary>Per create: commits, rows written by table, and the sampled connection states.</summary>
    public sealed record PerCreate(int Creates, double Commits, IReadOnlyList<(string Table, double Rows)> RowWrites, IReadOnlyList<(string State, double Connections)> Activity);

    public async Task<Snapshot> TakeAsync()
    {
        await using var connection = await OpenAsync();
        long commits;
        await using (var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection))
            commits = (long)(await command.ExecuteScalarAsync())!;

        var writes = new Dictionary<string, long>();
        await using (var command = new NpgsqlCommand("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                writes[$"{reader.GetString(0)} insert"] = reader.GetInt64(1);
                writes[$"{reader.GetString(0)} update"] = reader.GetInt64(2);
                writes[$"{reader.GetString(0)} delete"] = reader.GetInt64(3);
            }
        }
        return new Snapshot(commits, writes);
    }

    /// <summary>
    /// Samples the service's connections until stopped (or two minutes at most): how many, on
    /// average, were running a statement, waiting inside a transaction, or idle in the pool.
    /// </summary>
    public async Task<IReadOnlyList<(string State, double Connections)>> SampleActivityAsync(CancellationToken stop)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(stop);
        bound.CancelAfter(TimeSpan.FromMinutes(2));
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(state, '?') || coalesce(' (' || wait_event_type || ': ' || wait_event || ')', '') FROM pg_stat_activity " +
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'", connection);
        var counts = new Dictionary<string, int>();
        var samples = 0;
        while (!bound.IsCancellationRequested)
        {
            // Each sample is its own transaction, so pg_stat_activity is read afresh.
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None))
                    counts[reader.GetString(0)] = counts.GetValueOrDefault(reader.GetString(0)) + 1;
            }
            samples++;
            try
            {
                await Task.Delay(SampleEvery, bound.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return [.. counts.OrderByDescending(c => c.Value).Select(c => (c.Key, c.Value / (double)Math.Max(1, samples)))];
    }

    public static PerCreate Between(Snapshot before, Snapshot after, int creates, IReadOnlyList<(string State, double Connections)> activity) => new(
        creates,
        (after.Commits - before.Commits) / (double)creates,
        [.. after.RowWrites
            .Select(w => (Table: w.Key, Rows: (w.Value - before.RowWrites.GetValueOrDefault(w.Key)) / (double)creates))
            .Where(w => w.Rows > 0)
            .OrderByDescending(w => w.Rows)],
        activity);

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }
}
