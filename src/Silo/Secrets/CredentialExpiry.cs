using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sources.Silo.Secrets;

/// <summary>
/// When a credential carries its own end (the <c>exp</c> claim of a JWT such as a MotherDuck
/// token or an MCP access token), the earliest such end among a source's secrets.
/// </summary>
public static class CredentialExpiry
{
    public static DateTimeOffset? Earliest(JsonObject secrets)
    {
        DateTimeOffset? earliest = null;
        foreach (var (_, value) in secrets)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text) && ExpiryOf(text) is { } exp && (earliest is null || exp < earliest))
                earliest = exp;
        }
        return earliest;
    }

    public static DateTimeOffset? ExpiryOf(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[1].Length == 0) return null;
        try
        {
            var payload = Base64Url.DecodeFromChars(parts[1]);
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("exp", out var exp)
                && exp.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799))
                : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
