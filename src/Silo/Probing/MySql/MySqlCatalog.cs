using System.Globalization;
using MySqlConnector;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.MySql;

/// <summary>
/// The catalog queries of a MySQL-protocol probe; values travel as parameters, never in the SQL
/// text. Each gets what is left of the probe's budget as its timeout.
/// </summary>
internal static class MySqlCatalog
{
    /// <summary>The first row's value in <paramref name="column"/>, or null when there is no row.</summary>
    public static async Task<string?> Scalar(MySqlConnection connection, string sql, BudgetClock clock, CancellationToken cancellation, int column = 0)
    {
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = clock.Seconds };
        var rows = await DbReads.Rows(command, r => Convert.ToString(r.GetValue(column), CultureInfo.InvariantCulture), cancellation);
        return rows.FirstOrDefault();
    }

    /// <summary>The databases this user can see.</summary>
    public static async Task<List<string>> Databases(MySqlConnection connection, BudgetClock clock, CancellationToken cancellation)
    {
        await using var command = new MySqlCommand("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME LIMIT 1000", connection) { CommandTimeout = clock.Seconds };
        return await DbReads.Rows(command, r => r.GetString(0), cancellation);
    }

    public static async Task<List<TableRow>> Tables(MySqlConnection connection, string database, BudgetClock clock, CancellationToken cancellation)
    {
        const string sql = """
            SELECT TABLE_NAME, CASE WHEN TABLE_TYPE LIKE '%VIEW' THEN 'view' ELSE 'table' END
            FROM information_schema.TABLES WHERE TABLE_SCHEMA = @database
            ORDER BY TABLE_NAME LIMIT @limit
            """;
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = clock.Seconds };
        command.Parameters.AddWithValue("@database", database);
        command.Parameters.AddWithValue("@limit", DiscoveryJson.MaxTables);
        return await DbReads.Rows(command, r => new TableRow(database, null, r.GetString(0), r.GetString(1)), cancellation);
    }

    /// <summary>
    /// Every column of the database's tables in one query, in the tables' order: COLUMN_TYPE is the
    /// type as the server writes it (<c>int(11)</c>, <c>varchar(40)</c>), COLUMN_KEY 'PRI' a part of
    /// the primary key.
    /// </summary>
    internal const string ColumnsSql = """
        SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE = 'YES', COLUMN_KEY = 'PRI'
        FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @database
        ORDER BY TABLE_NAME, ORDINAL_POSITION LIMIT @limit
        """;

    public static async Task<List<ColumnRow>> Columns(MySqlConnection connection, string database, BudgetClock clock, CancellationToken cancellation)
    {
        await using var command = new MySqlCommand(ColumnsSql, connection) { CommandTimeout = clock.Seconds };
        command.Parameters.AddWithValue("@database", database);
        command.Parameters.AddWithValue("@limit", DiscoveredTables.ColumnQueryLimit);
        return await DbReads.Rows(command, r => new ColumnRow(database, null, r.GetString(0), r.GetString(1), Convert.ToString(r.GetValue(2), CultureInfo.InvariantCulture) ?? "",
            Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture) != 0, Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture) != 0), cancellation);
    }
}
