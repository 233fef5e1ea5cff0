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

    public static async Task<List<(string Schema, string Name, string Kind)>> Tables(SqlConnection connection, BudgetClock clock, CancellationToken cancellation)
    {
        const string sql = """
            SELECT TOP (@limit) s.name, o.name, CASE o.type WHEN 'V' THEN 'view' ELSE 'table' END
            FROM sys.objects o JOIN sys.schemas s ON s.schema_id = o.schema_id
            WHERE o.type IN ('U', 'V') AND o.is_ms_shipped = 0
            ORDER BY s.name, o.name
            """;
        await using var command = new SqlCommand(sql, connection) { CommandTimeout = clock.Seconds };
        command.Parameters.AddWithValue("@limit", DiscoveryJson.MaxTables);
        return await DbReads.Rows(command, r => (r.GetString(0), r.GetString(1), r.GetString(2)), cancellation);
    }
}
