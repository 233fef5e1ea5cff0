using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.DuckDb;

namespace Sources.Silo.Probing.Files;

/// <summary>
/// Imports downloaded files into one DuckDB database, one table per file. DuckDB is locked down
/// before it reads anything: no extension loads, no file outside the download folder, and the
/// configuration locked, so a crafted file (or name) cannot make it read the machine's files.
/// Each file is read by an explicit reader on its own path; one that fails is reported, the
/// others still import. It blocks its thread; when <c>cancellation</c> fires, DuckDB's
/// interrupt stops the statement running and the import throws OperationCanceledException.
/// </summary>
public static class FileImporter
{
    public sealed record Local(string Filename, string Path, FileFormat Format);

    public sealed record Imported(JsonArray Tables, List<ProbeResult> Failures);

    public static Imported Import(string databasePath, string downloadFolder, IReadOnlyList<Local> files, FileSettings settings, DuckDbLimits limits, CancellationToken cancellation)
    {
        using var connection = new DuckDBConnection($"DataSource={databasePath}");
        connection.Open();
        using var interrupt = DuckDbLockdown.InterruptOn(connection, cancellation);
        DuckDbLockdown.Apply(connection, downloadFolder, limits);
        var names = new TableNames();
        var tables = new JsonArray();
        var failures = new List<ProbeResult>();
        foreach (var file in files)
        {
            if (file.Format is FileFormat.Sqlite or FileFormat.Xlsx)
            {
                ImportThroughDotNet(connection, file, names, tables, failures, settings, cancellation);
                continue;
            }
            if (Reader(file) is not { } reader)
            {
                failures.Add(FileFailure.Named(ProbeOutcome.Unsupported, UnsupportedFormat, file.Filename));
                continue;
            }
            var table = names.For(file.Filename);
            try
            {
                DuckDbLockdown.Execute(connection, $"CREATE TABLE {DuckDbLockdown.Identifier(table)} AS SELECT * FROM {reader}", cancellation);
                tables.Add(Describe(connection, table, file, cancellation));
            }
            catch (DuckDBException) when (!cancellation.IsCancellationRequested)
            {
                // DuckDB's message quotes the file's content and our paths: the user gets the format instead.
                failures.Add(FileFailure.Named(ProbeOutcome.InvalidConfig, $"It is not a readable {file.Format.ToString().ToUpperInvariant()} file.", file.Filename));
            }
        }
        DuckDbLockdown.Execute(connection, "CHECKPOINT", cancellation);
        return new Imported(tables, failures);
    }

    /// <summary>SQLite and XLSX are read by .NET libraries and copied in, one table per table or sheet.</summary>
    private static void ImportThroughDotNet(DuckDBConnection connection, Local file, TableNames names, JsonArray tables, List<ProbeResult> failures,
        FileSettings settings, CancellationToken cancellation)
    {
        try
        {
            var made = file.Format == FileFormat.Sqlite
                ? SqliteImport.Copy(file.Path, file.Filename, connection, names, cancellation)
                : XlsxImport.Copy(file.Path, file.Filename, connection, names, settings, cancellation);
            foreach (var table in made)
                tables.Add(Describe(connection, table, file, cancellation));
        }
        catch (XlsxImport.TooLargeException tooLarge)
        {
            failures.Add(FileFailure.Named(ProbeOutcome.InvalidConfig, tooLarge.Message, file.Filename));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            // The libraries' messages can quote the file's content: the user gets the format instead.
            failures.Add(FileFailure.Named(ProbeOutcome.InvalidConfig, $"It is not a readable {file.Format.ToString().ToUpperInvariant()} file.", file.Filename));
        }
    }

    /// <summary>The explicit table function for the file's format, on its path; null when DuckDB cannot read it here.</summary>
    private static string? Reader(Local file)
    {
        var path = DuckDbLockdown.Literal(file.Path);
        return file.Format switch
        {
            FileFormat.Csv => $"read_csv({path}, header = true, delim = ',', strict_mode = true)",
            FileFormat.Tsv => $"read_csv({path}, header = true, delim = '\\t', strict_mode = true)",
            FileFormat.Parquet => $"read_parquet({path})",
            FileFormat.Json => $"read_json({path}, format = 'array')",
            FileFormat.Ndjson => $"read_json({path}, format = 'newline_delimited')",
            _ => null,
        };
    }

    private const string UnsupportedFormat = "Its format is not one Sources reads (CSV, TSV, Parquet, JSON, NDJSON, SQLite, XLSX).";

    private static JsonObject Describe(DuckDBConnection connection, string table, Local file, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var columns = new JsonArray();
        using (var describe = connection.CreateCommand())
        {
            describe.CommandText = "SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position";
            describe.Parameters.Add(new DuckDBParameter(table));
            using var reader = describe.ExecuteReader();
            // An import copies values, not constraints: no column of an imported table is a key.
            while (reader.Read())
                columns.Add(DiscoveredTables.Column(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), primaryKey: false));
        }
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM {DuckDbLockdown.Identifier(table)}";
        return new JsonObject
        {
            ["name"] = table,
            ["file"] = file.Filename,
            ["format"] = file.Format.ToString().ToLowerInvariant(),
            ["rows"] = Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture),
            ["columns"] = columns,
        };
    }
}
