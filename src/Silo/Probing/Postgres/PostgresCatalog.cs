using Npgsql;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.Postgres;

/// <summary>
/// The catalog reads of a POSTGRES probe: version(), the non-system schemas, the tables of the
/// listed schemas and all their columns, each with what is left of the probe's budget as its timeout.
/// Every parameter is text or an integer: an array parameter would make each probe's new data
/// source build Npgsql's whole array type mapping (a fifth of a healthy probe's CPU, BENCHMARKS.md),
/// so the schema list goes as a JSON array of strings.
/// </summary>
public static class PostgresCatalog
{
    /// <summary>What a probe reads, and of the selected schemas those that do not exist.</summary>
    public sealed record Read(string? Version, List<string> Schemas, string[] Missing, List<TableRow> Tables, List<ColumnRow> Columns);

    /// <summary>
    /// The reads of one probe, in order: version(), the schemas, then the tables and columns of the
    /// <paramref name="selected"/> schemas that exist (of every schema when none is selected).
    /// </summary>
    public static async Task<Read> ReadAll(NpgsqlConnection connection, IReadOnlyList<string> selected, BudgetClock clock, CancellationToken cancellation)
    {
        var version = await Version(connection, clock, cancellation);
        var schemas = await Schemas(connection, clock, cancellation);
        var missing = selected.Where(s => !schemas.Contains(s)).ToArray();
        var listed = selected.Count > 0 ? selected.Except(missing).ToList() : schemas;
        var schemaList = DiscoveryJson.Strings(listed).ToJsonString();
        var tables = await Tables(connection, schemaList, clock, cancellation);
        var columns = await Columns(connection, schemaList, clock, cancellation);
        return new Read(version, schemas, missing, tables, columns);
    }

    private static async Task<string?> Version(NpgsqlConnection connection, BudgetClock clock, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand("SELECT version()", connection) { CommandTimeout = clock.Seconds };
        return (string?)await command.ExecuteScalarAsync(cancellation);
    }

    private static async Task<List<string>> Schemas(NpgsqlConnection connection, BudgetClock clock, CancellationToken cancellation)
    {
        const string sql = """
            SELECT nspname FROM pg_catalog.pg_namespace
            WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
              AND nspname NOT LIKE 'pg\_temp\_%' AND nspname NOT LIKE 'pg\_toast\_temp\_%'
            ORDER BY nspname
            LIMIT 1000
            """;
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = clock.Seconds };
        return await DbReads.Rows(command, r => r.GetString(0), cancellation);
    }

    private static async Task<List<TableRow>> Tables(NpgsqlConnection connection, string schemaList, BudgetClock clock, CancellationToken cancellation)
    {
        const string sql = """
            SELECT n.nspname, c.relname,
                   CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized_view' WHEN 'f' THEN 'foreign_table' ELSE 'table' END
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN (SELECT json_array_elements_text(@schemas::json)) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            ORDER BY n.nspname, c.relname
            LIMIT @limit
            """;
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = clock.Seconds };
        command.Parameters.AddWithValue("schemas", schemaList);
        command.Parameters.AddWithValue("limit", DiscoveryJson.MaxTables);
        return await DbReads.Rows(command, r => new TableRow(null, r.GetString(0), r.GetString(1), r.GetString(2)), cancellation);
    }

    /// <summary>
    /// Every column of the same relations, in the same order, in one query: the type as
    /// format_type writes it (<c>character varying(40)</c>), NOT NULL, and membership of the primary key.
    /// </summary>
    private const string ColumnsSql = """
        SELECT n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
               NOT a.attnotnull, COALESCE(a.attnum = ANY (i.indkey), false)
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary
        WHERE n.nspname IN (SELECT json_array_elements_text(@schemas::json)) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY n.nspname, c.relname, a.attnum
        LIMIT @limit
        """;

    private static async Task<List<ColumnRow>> Columns(NpgsqlConnection connection, string schemaList, BudgetClock clock, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(ColumnsSql, connection) { CommandTimeout = clock.Seconds };
        command.Parameters.AddWithValue("schemas", schemaList);
        command.Parameters.AddWithValue("limit", DiscoveredTables.ColumnQueryLimit);
        return await DbReads.Rows(command, r => new ColumnRow(null, r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetBoolean(5)), cancellation);
    }
}
