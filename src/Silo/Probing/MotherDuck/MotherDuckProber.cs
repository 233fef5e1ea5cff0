using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.DuckDb;

namespace Sources.Silo.Probing.MotherDuck;

/// <summary>
/// MOTHERDUCK through DuckDB's MotherDuck extension. Only <c>md:&lt;database_name&gt;</c> is ever
/// attached, to an in-memory DuckDB: never a local file. The token is set as the extension's
/// motherduck_token option, never put into the attach string. Once attached, the connection is
/// locked down (no file access, no more extensions) before anything is read. The extension is
/// installed once per process by <see cref="MotherDuckExtension"/>; a probe only loads the
/// installed file, and answers unsupported at once when the node could not get it. DuckDB's
/// calls run on the context's blocking pool and are interrupted when the probe's token fires.
/// </summary>
public sealed partial class MotherDuckProber(MotherDuckExtension extension, DuckDbLimits limits) : IProber
{
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_-]*$")]
    private static partial Regex DatabaseName();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")]
    private static partial Regex Jwt();

    public string Type => "MOTHERDUCK";

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings)
    {
        var problems = new List<SettingsProblem>();
        var database = SettingsFields.Text(settings, "database_name");
        if (database is null || database.Length is 0 or > 255)
            problems.Add(new("/database_name", "'database_name' is required (1 to 255 characters)."));
        else if (!DatabaseName().IsMatch(database))
            problems.Add(new("/database_name", "'database_name' must be a plain MotherDuck database name (letters, digits, '_' and '-'): no path, no URL, no 'md:' prefix and no '?' options."));
        if (SettingsFields.Text(settings, "token") is not { } token || !Jwt().IsMatch(token))
            problems.Add(new("/token", "'token' must be a MotherDuck token (a JWT)."));
        return problems;
    }

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var database = SettingsFields.Text(settings, "database_name")!;
        var token = SettingsFields.Text(settings, "token")!;
        if (!await extension.Ready(cancellation))
            return MotherDuckFailures.Classify(default, MotherDuckStep.Extension, database);
        return await context.Blocking.Run(interrupt => ProbeBlocking(database, token, interrupt), cancellation);
    }

    private ProbeResult ProbeBlocking(string database, string token, CancellationToken cancellation)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var interrupt = DuckDbLockdown.InterruptOn(connection, cancellation);
        var step = MotherDuckStep.Extension;
        try
        {
            DuckDbLockdown.Execute(connection, "SET autoinstall_known_extensions = false", cancellation);
            DuckDbLockdown.Execute(connection, "SET allow_community_extensions = false", cancellation);
            DuckDbLockdown.Limit(connection, limits, spill: false);
            // Installed once per process by MotherDuckExtension: this reads the local file only.
            DuckDbLockdown.Execute(connection, "LOAD motherduck", cancellation);
            step = MotherDuckStep.Attach;
            DuckDbLockdown.Execute(connection, $"SET motherduck_token = {DuckDbLockdown.Literal(token)}", cancellation);
            DuckDbLockdown.Execute(connection, $"ATTACH {DuckDbLockdown.Literal("md:" + database)}", cancellation);
            DuckDbLockdown.Apply(connection, allowedDirectory: null);
            step = MotherDuckStep.Read;
            return Discover(connection, database);
        }
        catch (DuckDBException ex) when (!cancellation.IsCancellationRequested)
        {
            return MotherDuckFailures.Classify(ex.ErrorType, step, database);
        }
    }

    /// <summary>
    /// The version, then the tables of <paramref name="database"/> and, in one more query, all their
    /// columns: DuckDB's information_schema, with the primary keys from duckdb_constraints().
    /// DuckDB SQL, so a local database answers it the same (the tests ask one).
    /// </summary>
    public static ProbeResult Discover(DuckDBConnection connection, string database)
    {
        using var version = connection.CreateCommand();
        version.CommandText = "SELECT version()";
        var serverVersion = version.ExecuteScalar() as string;

        var tables = Rows(connection, TablesSql, database, r => new TableRow(null, r.GetString(0), r.GetString(1), r.GetString(2) == "VIEW" ? "view" : "table"));
        var columns = Rows(connection, ColumnsSql, database, r => new ColumnRow(null, r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetBoolean(5)));
        var schemas = tables.Select(t => t.Schema!).Distinct().Order(StringComparer.Ordinal);
        var discovery = DiscoveredTables.Discovery([new("database", database), new("schemas", DiscoveryJson.Strings(schemas))], tables, columns);
        return ProbeResult.Succeeded(serverVersion, discovery.ToJsonString(), []);
    }

    private static readonly string TablesSql =
        $"SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_catalog = $1 ORDER BY 1, 2 LIMIT {DiscoveryJson.MaxTables}";

    private static readonly string ColumnsSql = $"""
        SELECT c.table_schema, c.table_name, c.column_name, c.data_type, c.is_nullable = 'YES',
               EXISTS (SELECT 1 FROM duckdb_constraints() k
                       WHERE k.database_name = c.table_catalog AND k.schema_name = c.table_schema AND k.table_name = c.table_name
                         AND k.constraint_type = 'PRIMARY KEY' AND list_contains(k.constraint_column_names, c.column_name))
        FROM information_schema.columns c
        WHERE c.table_catalog = $1
        ORDER BY 1, 2, c.ordinal_position
        LIMIT {DiscoveredTables.ColumnQueryLimit}
        """;

    private static List<T> Rows<T>(DuckDBConnection connection, string sql, string database, Func<System.Data.Common.DbDataReader, T> read)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add(new DuckDBParameter(database));
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(read(reader));
        return rows;
    }
}

/// <summary>Where a MotherDuck probe was when DuckDB refused.</summary>
public enum MotherDuckStep { Extension, Attach, Read }
