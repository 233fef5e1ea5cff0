using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>The rows of one statement, every cell as the text Snowflake sends.</summary>
public sealed record SnowflakeRows(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows)
{
    /// <summary>The cells of a column (SHOW output names its columns in lower case; compared without case).</summary>
    public IEnumerable<string?> Column(string name)
    {
        var index = Columns.ToList().FindIndex(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? [] : Rows.Select(r => index < r.Count ? r[index] : null);
    }

    /// <summary>From the column names and row arrays of a Snowflake answer (SQL API or driver protocol).</summary>
    public static SnowflakeRows From(JsonArray? rowType, JsonArray? data) => new(
        rowType?.Select(c => SnowflakeJson.Text(c?["name"]) ?? "").ToList() ?? [],
        data?.Select(r => (IReadOnlyList<string?>)((r as JsonArray)?.Select(Cell).ToList() ?? [])).ToList() ?? []);

    private static string? Cell(JsonNode? cell) => cell switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => cell.ToJsonString(),
    };
}

/// <summary>Snowflake refused a request: its HTTP status and, when it said, its error code and SQLSTATE.</summary>
public sealed class SnowflakeException(int status, string? code, string? sqlState) : Exception($"Snowflake answered HTTP {status}, code {code}.")
{
    public int Status { get; } = status;
    public string? Code { get; } = code;
    public string? SqlState { get; } = sqlState;
}

/// <summary>A signed-in way to run statements: the SQL API with a key-pair JWT, or a driver session after a password login.</summary>
public interface ISnowflakeSession
{
    Task<SnowflakeRows> Query(string sql, CancellationToken cancellation);
}
