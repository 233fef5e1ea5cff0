using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sources.Contracts.Tests;

/// <summary>Small helpers to turn JSON nodes into request bytes and results into readable text.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Text(JsonNode? node) => node?.ToJsonString(Raw) ?? "null";

    public static byte[] Utf8(JsonNode? node) => Encoding.UTF8.GetBytes(Text(node));

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static string Describe(IEnumerable<SchemaError> errors) =>
        string.Join("; ", errors.Select(e => $"{e.Pointer} {e.Code}: {e.Message}"));

    /// <summary>The one documented normalisation: a string <c>type</c> at the top is folded to upper case.</summary>
    public static JsonNode? FoldType(JsonNode? payload)
    {
        if (payload is JsonObject body && body["type"] is JsonValue type && type.TryGetValue<string>(out var text))
        {
            var folded = body.DeepClone().AsObject();
            folded["type"] = text.ToUpperInvariant();
            return folded;
        }
        return payload;
    }
}
