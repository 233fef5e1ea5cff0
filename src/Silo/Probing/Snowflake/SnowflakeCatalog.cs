using System.Text.Json.Nodes;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>
/// Snowflake's tables and columns through SHOW commands, one per kind of object for the whole
/// account: SHOW reads metadata without a running warehouse (information_schema queries would
/// need one, and would bill it), and is one statement per account rather than one per database.
/// </summary>
public static class SnowflakeCatalog
{
    public static readonly string ObjectsSql = $"SHOW OBJECTS IN ACCOUNT LIMIT {DiscoveryJson.MaxTables}";
    public const string ColumnsSql = "SHOW COLUMNS IN ACCOUNT";
    public const string PrimaryKeysSql = "SHOW PRIMARY KEYS IN ACCOUNT";

    public static List<TableRow> Tables(SnowflakeRows objects) => objects.Column("database_name")
        .Zip(objects.Column("schema_name"), objects.Column("name"))
        .Zip(objects.Column("kind"))
        .Where(o => o.First.First is not null && o.First.Second is not null && o.First.Third is not null && o.First.Second != "INFORMATION_SCHEMA")
        .Select(o => new TableRow(o.First.First, o.First.Second, o.First.Third!, Kind(o.Second)))
        .OrderBy(t => t.Database, StringComparer.Ordinal).ThenBy(t => t.Schema, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal)
        .Take(DiscoveryJson.MaxTables)
        .ToList();

    /// <summary>Columns in their tables' order (SHOW COLUMNS answers them in each table's column order), one past the bound at most.</summary>
    public static List<ColumnRow> Columns(SnowflakeRows columns, SnowflakeRows primaryKeys)
    {
        var keys = primaryKeys.Column("database_name").Zip(primaryKeys.Column("schema_name"), primaryKeys.Column("table_name"))
            .Zip(primaryKeys.Column("column_name"))
            .Select(k => (k.First.First, k.First.Second, k.First.Third, k.Second))
            .ToHashSet();
        return columns.Column("database_name").Zip(columns.Column("schema_name"), columns.Column("table_name"))
            .Zip(columns.Column("column_name"), columns.Column("data_type"))
            .Where(c => c.First.Third is not null && c.Second is not null)
            .Take(DiscoveredTables.ColumnQueryLimit)
            .Select(c =>
            {
                var (type, nullable) = DataType(c.Third);
                var (database, schema, table) = c.First;
                return new ColumnRow(database, schema, table!, c.Second!, type, nullable, keys.Contains((database, schema, table, c.Second)));
            })
            .ToList();
    }

    private static string Kind(string? kind) => kind switch
    {
        "VIEW" => "view",
        "MATERIALIZED_VIEW" or "MATERIALIZED VIEW" => "materialized_view",
        "EXTERNAL_TABLE" or "EXTERNAL TABLE" => "foreign_table",
        _ => "table",
    };

    /// <summary>
    /// SHOW COLUMNS gives the type as JSON (<c>{"type":"FIXED","precision":38,"scale":0,"nullable":true}</c>);
    /// written back as Snowflake declares it: NUMBER(38,0), VARCHAR(16777216), TIMESTAMP_NTZ(9).
    /// </summary>
    public static (string Type, bool Nullable) DataType(string? json)
    {
        if (json is null || JsonNode.Parse(json) is not JsonObject type)
            return (json ?? "", true);
        var name = SnowflakeJson.Text(type["type"]) ?? "";
        var nullable = type["nullable"] is not JsonValue n || !n.TryGetValue<bool>(out var b) || b;
        var written = name switch
        {
            "FIXED" => $"NUMBER({Number(type, "precision")},{Number(type, "scale")})",
            "TEXT" => $"VARCHAR({Number(type, "length")})",
            "BINARY" => $"BINARY({Number(type, "length")})",
            "REAL" => "FLOAT",
            "TIMESTAMP_NTZ" or "TIMESTAMP_LTZ" or "TIMESTAMP_TZ" or "TIME" => $"{name}({Number(type, "scale")})",
            _ => name,
        };
        return (written, nullable);
    }

    private static string Number(JsonObject type, string name) => type[name]?.ToJsonString() ?? "";
}
