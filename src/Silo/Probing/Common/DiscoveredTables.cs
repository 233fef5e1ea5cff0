using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.Common;

/// <summary>A table or view as a catalog lists it; Database and Schema are whichever the source has.</summary>
public sealed record TableRow(string? Database, string? Schema, string Name, string Kind);

/// <summary>A column as a catalog lists it, with the table it belongs to.</summary>
public sealed record ColumnRow(string? Database, string? Schema, string Table, string Name, string Type, bool Nullable, bool PrimaryKey);

/// <summary>
/// Joins a source's table listing and its column listing (two catalog queries, each ordered and
/// limited, never one query per table) into the <c>tables</c> of a relational discovery.
/// </summary>
public static class DiscoveredTables
{
    /// <summary>Most columns one check lists, over all its tables: the column query's LIMIT is one more, to see whether it was cut.</summary>
    public const int MaxColumns = 20_000;

    /// <summary>The LIMIT of a column query: one row past the bound shows that the source holds more.</summary>
    public const int ColumnQueryLimit = MaxColumns + 1;

    /// <summary>
    /// Each table with its columns, in the tables' order. When the column query returned more than
    /// <see cref="MaxColumns"/> rows, the columns past the bound are dropped, and the table the bound
    /// fell in and every table without a column read are marked <c>columns_truncated</c>.
    /// </summary>
    public static (JsonArray Tables, bool Truncated) Build(IReadOnlyList<TableRow> tables, IReadOnlyList<ColumnRow> columns)
    {
        var cut = columns.Count > MaxColumns;
        var kept = cut ? columns.Take(MaxColumns) : columns;
        var byTable = new Dictionary<(string?, string?, string), List<ColumnRow>>();
        foreach (var column in kept)
        {
            var key = (column.Database, column.Schema, column.Table);
            if (!byTable.TryGetValue(key, out var list))
                byTable[key] = list = [];
            list.Add(column);
        }
        var last = cut ? (columns[MaxColumns - 1].Database, columns[MaxColumns - 1].Schema, columns[MaxColumns - 1].Table) : default;
        var listed = new JsonArray();
        foreach (var table in tables)
        {
            var key = (table.Database, table.Schema, table.Name);
            var found = byTable.TryGetValue(key, out var list) ? list : [];
            var entry = new JsonObject();
            if (table.Database is not null) entry["database"] = table.Database;
            if (table.Schema is not null) entry["schema"] = table.Schema;
            entry["name"] = table.Name;
            entry["kind"] = table.Kind;
            entry["columns"] = Columns(found);
            if (cut && (found.Count == 0 || key == last))
                entry["columns_truncated"] = true;
            listed.Add(entry);
        }
        return (listed, cut || tables.Count >= DiscoveryJson.MaxTables);
    }

    public static JsonArray Columns(IEnumerable<ColumnRow> columns) => new(columns.Select(c => (JsonNode)Column(c.Name, c.Type, c.Nullable, c.PrimaryKey)).ToArray());

    /// <summary>One column, in the shape every discovery uses (FILE's included).</summary>
    public static JsonObject Column(string name, string type, bool nullable, bool primaryKey) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["nullable"] = nullable,
        ["primary_key"] = primaryKey,
    };

    /// <summary>A relational discovery: <c>kind</c> first (a reader finds the shape from it), then what the prober lists, then the tables.</summary>
    public static JsonObject Discovery(IEnumerable<KeyValuePair<string, JsonNode?>> lists, IReadOnlyList<TableRow> tables, IReadOnlyList<ColumnRow> columns)
    {
        var discovery = DiscoveryJson.Start(DiscoveryJson.Relational);
        foreach (var (name, value) in lists)
            if (value is not null) discovery[name] = value;
        var (built, truncated) = Build(tables, columns);
        discovery["tables"] = built;
        if (truncated) discovery["truncated"] = true;
        return discovery;
    }
}
