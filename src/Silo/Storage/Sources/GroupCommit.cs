using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// Writes from many grains share one transaction. Each write waits in a queue; a writer takes
/// everything queued (up to a batch), runs it in one transaction (one round trip where the driver
/// batches) and completes each write only after the commit. Alone, a write costs one commit as
/// before; under load one commit serves many, which is what lets creates keep pace with the
/// database instead of with its commit latency.
/// </summary>
internal sealed class GroupCommit : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly DbDataSource _database;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>();
    private readonly Task[] _writers;

    /// <param name="writers">Transactions in flight at once: 1 for SQLite (one writer per file anyway).</param>
    public GroupCommit(DbDataSource database, int writers)
    {
        _database = database;
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoop)).ToArray();
    }

    /// <summary>Runs one statement in the next group's transaction; answers the rows it affected once committed.</summary>
    public Task<int> Write(string sql, params (string Name, object Value)[] parameters)
    {
        var write = new PendingWrite(sql, parameters, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(write))
            throw new ObjectDisposedException(nameof(GroupCommit), "The source store is shutting down.");
        return write.Done.Task;
    }

    private async Task WriteLoop()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var write))
                batch.Add(write);
            if (batch.Count > 0)
            {
                var started = Stopwatch.GetTimestamp();
                var committed = await Commit(batch);
                StorageMetrics.Committed(batch.Count, Stopwatch.GetElapsedTime(started), committed);
            }
        }
    }

    /// <summary>True when the group committed as one; false when it failed or ran again write by write.</summary>
    private async Task<bool> Commit(List<PendingWrite> batch, bool reconnected = false)
    {
        DbConnection connection;
        try
        {
            connection = await _database.OpenConnectionAsync();
        }
        catch (Exception ex)
        {
            // The database cannot be reached: the whole group fails with that at once, rather than
            // each write waiting out its own connection attempt.
            Fail(batch, ex);
            return false;
        }
        await using (connection)
        {
            try
            {
                Complete(batch, await Execute(connection, batch));
                return true;
            }
            catch (Exception failure) when (!reconnected && DroppedConnections.Dropped(failure))
            {
                // The database dropped this connection (a restart): the group runs again below, once.
            }
            catch (Exception) when (batch.Count > 1)
            {
                // One bad write must not fail the others that happened to share its transaction:
                // each runs again alone and gets its own answer.
                foreach (var write in batch)
                {
                    try
                    {
                        Complete([write], await Execute(connection, [write]));
                    }
                    catch (Exception ex)
                    {
                        Fail([write], ex);
                    }
                }
                return false;
            }
            catch (Exception ex)
            {
                Fail(batch, ex);
                return false;
            }
        }
        DroppedConnections.Forget(_database);
        return await Commit(batch, reconnected: true);
    }

    private static void Complete(List<PendingWrite> batch, int[] affected)
    {
        for (var i = 0; i < batch.Count; i++)
            batch[i].Done.SetResult(affected[i]);
    }

    private static void Fail(List<PendingWrite> batch, Exception failure)
    {
        foreach (var write in batch)
            write.Done.SetException(failure);
    }

    private static Task<int[]> Execute(DbConnection connection, List<PendingWrite> batch) =>
        connection.CanCreateBatch ? ExecuteBatch(connection, batch) : ExecuteInTransaction(connection, batch);

    /// <summary>
    /// One round trip (PostgreSQL). A batch outside an explicit transaction is one implicit
    /// transaction: an error rolls back the statements before it and skips those after.
    /// </summary>
    private static async Task<int[]> ExecuteBatch(DbConnection connection, List<PendingWrite> batch)
    {
        await using var commands = connection.CreateBatch();
        foreach (var write in batch)
        {
            var command = commands.CreateBatchCommand();
            command.CommandText = write.Sql;
            command.Parameters.AddAll(command.CreateParameter, write.Parameters);
            commands.BatchCommands.Add(command);
        }
        await commands.ExecuteNonQueryAsync();
        return [.. commands.BatchCommands.Select(command => command.RecordsAffected)];
    }

    /// <summary>Statement after statement in one transaction (SQLite, in process: no round trips to save).</summary>
    private static async Task<int[]> ExecuteInTransaction(DbConnection connection, List<PendingWrite> batch)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var affected = new int[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = batch[i].Sql;
            command.Parameters.AddAll(command.CreateParameter, batch[i].Parameters);
            affected[i] = await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return affected;
    }

    /// <summary>Lets the queued writes finish, then stops: a graceful shutdown loses none.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private sealed record PendingWrite(string Sql, (string Name, object Value)[] Parameters, TaskCompletionSource<int> Done);
}
