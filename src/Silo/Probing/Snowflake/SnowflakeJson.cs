using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>Reads a Snowflake answer's JSON body, bounded in size; null when it is not JSON.</summary>
internal static class SnowflakeJson
{
    private const int MaxBody = 8 * 1024 * 1024;

    /// <summary>A field Snowflake sends as a string or a number (its error codes come both ways).</summary>
    public static string? Text(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var text) ? text : value.ToJsonString()
        : null;

    public static async Task<JsonNode?> Read(HttpResponseMessage response, CancellationToken cancellation)
    {
        if (response.Content.Headers.ContentLength > MaxBody)
            return null;
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellation);
        if (bytes.Length is 0 or > MaxBody)
            return null;
        try
        {
            return JsonNode.Parse(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
