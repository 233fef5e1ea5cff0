using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Sources.Silo.Probing.DuckDb;

namespace Sources.Silo.Probing.Files;

/// <summary>
/// A SQLite file's tables, copied into the source's DuckDB database through Microsoft.Data.Sqlite
/// (DuckDB's own SQLite reader is an extension it would download). The file is opened read-only;
/// reading runs no code from it (views and triggers are not touched, only ordinary tables' rows;
/// virtual tables and their shadow tables are skipped, and the schema is not trusted). The copy
/// stops between rows when its token fires.
/// </summary>
public static class SqliteImport
{
    /// <summary>Copies every user table; answers the DuckDB table names made, one per SQLite table.</summary>
    public static List<string> Copy(string sqlitePath, string filename, DuckDBConnection duckDb, TableNames names, CancellationToken cancellation)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = sqlitePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var sqlite = new SqliteConnection(builder.ConnectionString);
        sqlite.Open();
        // Functions named in the file's schema (views, triggers, generated columns) may not run as trusted.
        using (var trust = sqlite.CreateCommand())
        {
            trust.CommandText = "PRAGMA trusted_schema = OFF";
            trust.ExecuteNonQuery();
        }
        var made = new List<string>();
        foreach (var table in Tables(sqlite))
        {
            var target = names.For(Path.GetFileNameWithoutExtension(filename) + "_" + table);
            var columns = Columns(sqlite, table);
            var definitions = string.Join(", ", columns.Select(c => $"{DuckDbLockdown.Identifier(c.Name)} {c.DuckType}"));
            DuckDbLockdown.Execute(duckDb, $"CREATE TABLE {DuckDbLockdown.Identifier(target)} ({definitions})", cancellation);
            CopyRows(sqlite, table, columns, duckDb, target, cancellation);
            made.Add(target);
        }
        return made;
    }

    private sealed record Column(string Name, string DuckType);

    private static List<string> Tables(SqliteConnection sqlite)
    {
        using var command = sqlite.CreateCommand();
        // Virtual tables (fts, rtree, ...) are read through their module's code, and their shadow tables hold its internals: neither is the user's data.
        command.CommandText = """
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
              AND coalesce(sql, '') NOT LIKE 'CREATE VIRTUAL TABLE%'
              AND name NOT IN (SELECT name FROM pragma_table_list WHERE type = 'shadow')
            ORDER BY name
            """;
        using var reader = command.ExecuteReader();
        var tables = new List<string>();
        while (reader.Read()) tables.Add(reader.GetString(0));
        return tables;
    }

    private static List<Column> Columns(SqliteConnection sqlite, string table)
    {
        using var command = sqlite.CreateCommand();
        command.CommandText = "SELECT name, type FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        using var reader = command.ExecuteReader();
        var columns = new List<Column>();
        while (reader.Read())
            columns.Add(new Column(reader.GetString(0), DuckType(reader.IsDBNull(1) ? "" : reader.GetString(1))));
        return columns;
    }

    /// <summary>SQLite's type affinity rules, mapped onto DuckDB types.</summary>
    private static string DuckType(string declared)
    {
        var type = declared.ToUpperInvariant();
        if (type.Contains("INT")) return "BIGINT";
        if (type.Contains("CHAR") || type.Contains("CLOB") || type.Contains("TEXT")) return "VARCHAR";
        if (type.Contains("BLOB") || type.Length == 0) return type.Length == 0 ? "VARCHAR" : "BLOB";
        if (type.Contains("REAL") || type.Contains("FLOA") || type.Contains("DOUB")) return "DOUBLE";
        return "VARCHAR";
    }

    private static void CopyRows(SqliteConnection sqlite, string table, List<Column> columns, DuckDBConnection duckDb, string target, CancellationToken cancellation)
    {
        using var read = sqlite.CreateCommand();
        read.CommandText = $"SELECT {string.Join(", ", columns.Select(c => Quote(c.Name)))} FROM {Quote(table)}";
        using var rows = read.ExecuteReader();
        using var appender = duckDb.CreateAppender(target);
        while (rows.Read())
        {
            cancellation.ThrowIfCancellationRequested();
            var row = appender.CreateRow();
            for (var i = 0; i < columns.Count; i++)
            {
                if (rows.IsDBNull(i)) { row.AppendNullValue(); continue; }
                switch (columns[i].DuckType)
                {
                    case "BIGINT": row.AppendValue(rows.GetInt64(i)); break;
                    case "DOUBLE": row.AppendValue(rows.GetDouble(i)); break;
                    case "BLOB": row.AppendValue((byte[])rows.GetValue(i)); break;
                    default: row.AppendValue(Convert.ToString(rows.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)); break;
                }
            }
            row.EndRow();
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
