using DuckDB.NET.Data;

namespace Sources.Silo.Probing.DuckDb;

/// <summary>
/// DuckDB can read any file of the machine and fetch extensions from the internet. Every
/// connection Sources opens is shut to that once it has what it needs: no extension installed or
/// loaded behind our back, no file outside the one folder it may use, and the configuration
/// locked so no later statement can open it again.
/// </summary>
public static class DuckDbLockdown
{
    /// <param name="allowedDirectory">The only folder DuckDB may still read and write, or null for none.</param>
    public static void Apply(DuckDBConnection connection, string? allowedDirectory)
    {
        Execute(connection, "SET autoinstall_known_extensions = false");
        Execute(connection, "SET autoload_known_extensions = false");
        Execute(connection, "SET allow_community_extensions = false");
        if (allowedDirectory is not null)
            Execute(connection, $"SET allowed_directories = [{Literal(Path.TrimEndingDirectorySeparator(Path.GetFullPath(allowedDirectory)) + "/")}]");
        Execute(connection, "SET enable_external_access = false");
        Execute(connection, "SET lock_configuration = true");
    }

    public static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A SQL string literal: single quotes doubled.</summary>
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A SQL identifier: double quotes doubled.</summary>
    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
