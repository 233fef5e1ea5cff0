using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Sources.Silo.Hosting;
using Sources.Silo.Storage;

namespace Sources.Api.Operations;

/// <summary>Whether the silo is up and its database answers a trivial query right now.</summary>
public sealed class StorageCheck(SourcesSettings settings, IHostApplicationLifetime lifetime)
{
    public async Task<bool> IsReachable(CancellationToken cancellation)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested) return false;
        try
        {
            await using var connection = Open();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await connection.OpenAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    private DbConnection Open() => settings.Mode == StorageMode.Postgres
        ? new NpgsqlConnection(settings.ConnectionString)
        : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(settings.DataDirectory, "sources.db"), Mode = SqliteOpenMode.ReadOnly }.ToString());
}
