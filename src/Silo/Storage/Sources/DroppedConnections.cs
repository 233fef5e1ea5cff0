using System.Data.Common;
using Npgsql;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// After the database restarts (or fails over), every idle connection in the pool is dead, and each
/// fails the first statement sent on it with a transient error. Work that meets one runs once more
/// on a pool cleared of them, so a restart costs the callers nothing but a little time.
/// </summary>
internal static class DroppedConnections
{
    public static bool Dropped(Exception failure) => failure is DbException { IsTransient: true };

    /// <summary>Closes the idle pooled connections, so the next statements open new ones.</summary>
    public static void Forget(DbDataSource database)
    {
        if (database is NpgsqlDataSource postgres)
            postgres.Clear();
    }

    /// <summary>The same for code that opens its connections by connection string (Orleans' ADO.NET providers).</summary>
    public static void Forget(string connectionString)
    {
        using var pooled = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(pooled);
    }

    public static async Task<T> OnceMore<T>(DbDataSource database, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception failure) when (Dropped(failure))
        {
            Forget(database);
            return await work();
        }
    }
}
