using System.Globalization;
using DuckDB.NET.Data;

namespace Sources.Silo.Probing.DuckDb;

/// <summary>
/// DuckDB can read any file of the machine, fetch extensions from the internet and take every
/// core and most of the memory. Every connection Sources opens is shut to that once it has what
/// it needs: no extension installed or loaded behind our back, no file outside the one folder it
/// may use, its share of threads, memory and spill, and the configuration locked so no later
/// statement can open it again. Statements run interruptibly: when the probe's token fires,
/// DuckDB's interrupt stops the running one.
/// </summary>
public static class DuckDbLockdown
{
    /// <param name="allowedDirectory">The only folder DuckDB may still read and write, or null for none.</param>
    /// <param name="limits">Threads, memory and spill; spill is limited only with a folder (an in-memory database spills nowhere useful).</param>
    public static void Apply(DuckDBConnection connection, string? allowedDirectory, DuckDbLimits? limits = null)
    {
        Execute(connection, "SET autoinstall_known_extensions = false");
        Execute(connection, "SET autoload_known_extensions = false");
        Execute(connection, "SET allow_community_extensions = false");
        if (limits is not null)
            Limit(connection, limits, spill: allowedDirectory is not null);
        if (allowedDirectory is not null)
            Execute(connection, $"SET allowed_directories = [{Literal(Path.TrimEndingDirectorySeparator(Path.GetFullPath(allowedDirectory)) + "/")}]");
        Execute(connection, "SET enable_external_access = false");
        Execute(connection, "SET lock_configuration = true");
    }

    /// <summary>Threads, memory and (with <paramref name="spill"/>) the temp folder's size, before the configuration is locked.</summary>
    public static void Limit(DuckDBConnection connection, DuckDbLimits limits, bool spill)
    {
        Execute(connection, $"SET threads = {Math.Max(1, limits.Threads).ToString(CultureInfo.InvariantCulture)}");
        Execute(connection, $"SET memory_limit = {Bytes(limits.MemoryLimitBytes)}");
        if (spill)
            Execute(connection, $"SET max_temp_directory_size = {Bytes(limits.MaxTempDirectoryBytes)}");
    }

    /// <summary>
    /// Interrupts whatever <paramref name="connection"/> runs once <paramref name="cancellation"/>
    /// fires, until disposed (before the connection is). A statement run through
    /// <see cref="Execute(DuckDBConnection, string, CancellationToken)"/> then throws
    /// OperationCanceledException, wherever in the statement the interrupt landed.
    /// </summary>
    public static DuckDbInterrupter InterruptOn(DuckDBConnection connection, CancellationToken cancellation) => new(connection, cancellation);

    public static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs <paramref name="sql"/> unless cancelled already, so a cancelled import starts nothing new.
    /// DuckDB reports an interrupt that lands while it prepares the statement as an error of its
    /// own, not as a cancellation: once the token fired, any DuckDB error is the interrupt.
    /// </summary>
    public static void Execute(DuckDBConnection connection, string sql, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        try
        {
            Execute(connection, sql);
        }
        catch (DuckDBException ex) when (cancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException("DuckDB was interrupted.", ex, cancellation);
        }
    }

    /// <summary>A SQL string literal: single quotes doubled.</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A SQL identifier: double quotes doubled.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Bytes(long bytes) => Literal(Math.Max(1L << 20, bytes).ToString(CultureInfo.InvariantCulture) + " bytes");
}
