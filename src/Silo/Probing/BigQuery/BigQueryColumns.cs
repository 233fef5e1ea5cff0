using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.BigQuery;

/// <summary>
/// The tables and columns of a project's datasets: one query per location, on that region's
/// INFORMATION_SCHEMA (COLUMNS joined with TABLES), through jobs.query. Not one call per table,
/// which is what the REST listing (tables.get per table) would take. Primary keys are not asked:
/// BigQuery's are unenforced and its key views answer only per dataset, so primary_key is false.
/// </summary>
public static class BigQueryColumns
{
    /// <summary>The query for one location. Project and location are checked names, quoted as identifiers; the datasets go as a parameter.</summary>
    public static string Sql(string project, string location)
    {
        var scope = $"`{project}`.`region-{location.ToLowerInvariant()}`.INFORMATION_SCHEMA";
        return $"""
            SELECT c.table_schema, c.table_name, t.table_type, c.column_name, c.data_type, c.is_nullable = 'YES'
            FROM {scope}.COLUMNS c
            JOIN {scope}.TABLES t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema IN UNNEST(@datasets)
            ORDER BY c.table_schema, c.table_name, c.ordinal_position
            LIMIT {DiscoveredTables.ColumnQueryLimit}
            """;
    }

    /// <summary>Whether a project id or location can go between backquotes as it is.</summary>
    public static bool IsPlainName(string name) => name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    public sealed record Answer(List<TableRow> Tables, List<ColumnRow> Columns, int? FailedStatus);

    public static async Task<Answer> Read(HttpClient http, Uri api, string project, string location, IReadOnlyList<string> datasets, string token, TimeSpan budget, CancellationToken cancellation)
    {
        var body = new JsonObject
        {
            ["query"] = Sql(project, location),
            ["useLegacySql"] = false,
            ["location"] = location,
            ["maxResults"] = DiscoveredTables.ColumnQueryLimit,
            ["timeoutMs"] = (long)Math.Max(1000, budget.TotalMilliseconds / 2),
            ["parameterMode"] = "NAMED",
            ["queryParameters"] = new JsonArray(new JsonObject
            {
                ["name"] = "datasets",
                ["parameterType"] = new JsonObject { ["type"] = "ARRAY", ["arrayType"] = new JsonObject { ["type"] = "STRING" } },
                ["parameterValue"] = new JsonObject { ["arrayValues"] = new JsonArray(datasets.Select(d => (JsonNode)new JsonObject { ["value"] = d }).ToArray()) },
            }),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(api, $"projects/{Uri.EscapeDataString(project)}/queries")) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellation);
        if (!response.IsSuccessStatusCode)
            return new Answer([], [], (int)response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStreamAsync(cancellation));
        return Parse(answer);
    }

    /// <summary>The rows of a jobs.query answer (<c>{"rows":[{"f":[{"v":…}]}]}</c>) as tables and columns; an unfinished job gives none.</summary>
    public static Answer Parse(JsonNode? answer)
    {
        var tables = new List<TableRow>();
        var columns = new List<ColumnRow>();
        if (answer?["jobComplete"] is JsonValue complete && complete.TryGetValue<bool>(out var done) && !done)
            return new Answer(tables, columns, null);
        foreach (var row in answer?["rows"]?.AsArray() ?? [])
        {
            var cells = row?["f"]?.AsArray().Select(c => c?["v"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).ToList();
            if (cells is not { Count: 6 } || cells[0] is not { } dataset || cells[1] is not { } table || cells[3] is not { } column)
                continue;
            if (tables.Count == 0 || tables[^1].Schema != dataset || tables[^1].Name != table)
                tables.Add(new TableRow(null, dataset, table, Kind(cells[2])));
            columns.Add(new ColumnRow(null, dataset, table, column, cells[4] ?? "", cells[5] == "true", false));
        }
        return new Answer(tables, columns, null);
    }

    private static string Kind(string? type) => type switch
    {
        "VIEW" => "view",
        "MATERIALIZED VIEW" => "materialized_view",
        "EXTERNAL" => "foreign_table",
        _ => "table",
    };
}
