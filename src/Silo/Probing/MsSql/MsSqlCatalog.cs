using Microsoft.Data.SqlClient;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.MsSql;

/// <summary>The catalog queries of an MSSQL probe, each with what is left of the probe's budget as its timeout.</summary>
internal static class MsSqlCatalog
{
    /// <summary>The first line of @@VERSION ("Microsoft SQL Server 2022 (RTM) - 16.0…"); the rest is build and OS detail.</summary>
    public static async Task<string?> Version(SqlConnection connection, BudgetClock clock, CancellationToken cancellation)
    {
        await using var command = new SqlCommand("SELECT @@VERSION", connection) { CommandTimeout = clock.Seconds };
        var version = (string?)await command.ExecuteScalarAsync(cancellation);
        return version?.Split('\n', 2)[0].Trim();
    }

    /// <summary>dbo and the schemas users made (ids 5..16383); not sys, guest, INFORMATION_SCHEMA or the fixed-role schemas.</summary>
    public static async Task<List<string>> Schemas(SqlConnection connection, BudgetClock clock, CancellationToken cancellation)
    {
        await using var command = new SqlCommand("SELECT TOP (1000) name FROM sys.schemas WHERE schema_id = 1 OR schema_id BETWEEN 5 AND 16383 ORDER BY name", connection) { CommandTimeout = clock.Seconds };
        return await DbReads.Rows(command, r => r.GetString(0), cancellation);
    }

    public static async Task<List<TableRow>> Tables(SqlConnection connection, BudgetClock clock, CancellationToken cancellation)
    {
        const string sql = """
            SELECT TOP (@limit) s.name, o.name, CASE o.type WHEN 'V' THEN 'view' ELSE 'table' END
            FROM sys.objects o JOIN sys.schemas s ON s.schema_id = o.schema_id
            WHERE o.type IN ('U', 'V') AND o.is_ms_shipped = 0
            ORDER BY s.name, o.name
            """;
        await using var command = new SqlCommand(sql, connection) { CommandTimeout = clock.Seconds };
        command.Parameters.AddWithValue("@limit", DiscoveryJson.MaxTables);
        return await DbReads.Rows(command, r => new TableRow(null, r.GetString(0), r.GetString(1), r.GetString(2)), cancellation);
    }

    /// <summary>
    /// Every column of those tables and views in one query, in their order: the type written as
    /// T-SQL declares it (<c>nvarchar(40)</c>, <c>decimal(10,2)</c>, <c>varchar(max)</c>), and
    /// whether the primary key's index holds it.
    /// </summary>
    internal const string ColumnsSql = """
        SELECT TOP (@limit) s.name, o.name, c.name,
               CASE
                 WHEN t.name IN ('varchar', 'char', 'varbinary', 'binary')
                   THEN t.name + '(' + CASE WHEN c.max_length = -1 THEN 'max' ELSE CAST(c.max_length AS varchar(10)) END + ')'
                 WHEN t.name IN ('nvarchar', 'nchar')
                   THEN t.name + '(' + CASE WHEN c.max_length = -1 THEN 'max' ELSE CAST(c.max_length / 2 AS varchar(10)) END + ')'
                 WHEN t.name IN ('decimal', 'numeric')
                   THEN t.name + '(' + CAST(c.precision AS varchar(10)) + ',' + CAST(c.scale AS varchar(10)) + ')'
                 WHEN t.name IN ('datetime2', 'datetimeoffset', 'time')
                   THEN t.name + '(' + CAST(c.scale AS varchar(10)) + ')'
                 ELSE t.name
               END,
               c.is_nullable,
               CAST(CASE WHEN pk.column_id IS NULL THEN 0 ELSE 1 END AS bit)
        FROM sys.columns c
        JOIN sys.objects o ON o.object_id = c.object_id
        JOIN sys.schemas s ON s.schema_id = o.schema_id
        JOIN sys.types t ON t.user_type_id = c.user_type_id
        LEFT JOIN (SELECT ic.object_id, ic.column_id
                   FROM sys.index_columns ic
                   JOIN sys.indexes i ON i.object_id = ic.object_id AND i.index_id = ic.index_id
                   WHERE i.is_primary_key = 1) pk ON pk.object_id = c.object_id AND pk.column_id = c.column_id
        WHERE o.type IN ('U', 'V') AND o.is_ms_shipped = 0
        ORDER BY s.name, o.name, c.column_id
        """;

    public static async Task<List<ColumnRow>> Columns(SqlConnection connection, BudgetClock clock, CancellationToken cancellation)
    {
        await using var command = new SqlCommand(ColumnsSql, connection) { CommandTimeout = clock.Seconds };
        command.Parameters.AddWithValue("@limit", DiscoveredTables.ColumnQueryLimit);
        return await DbReads.Rows(command, r => new ColumnRow(null, r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetBoolean(4), r.GetBoolean(5)), cancellation);
    }
}
