using System.Text.Json.Nodes;

namespace Sources.Contracts.Tests;

/// <summary>Reads one schema node of the spec: its properties, required names and constraints.</summary>
internal static class SchemaFacts
{
    public static IReadOnlyList<string> Properties(JsonObject schema) =>
        schema["properties"] is JsonObject props ? props.Select(p => p.Key).ToList() : [];

    public static JsonObject Property(JsonObject schema, string name) => schema["properties"]![name]!.AsObject();

    public static IReadOnlyList<string> Required(JsonObject schema) =>
        schema["required"] is JsonArray list ? list.Select(r => r!.GetValue<string>()).ToList() : [];

    public static bool ClosedToOthers(JsonObject schema) =>
        schema["additionalProperties"] is JsonValue v && v.TryGetValue<bool>(out var allowed) && !allowed;

    public static string? Type(JsonObject schema) => schema["type"]?.GetValue<string>();

    public static long? Long(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue v ? (long)v.GetValue<decimal>() : null;

    public static string? Text(JsonObject schema, string keyword) => schema[keyword]?.GetValue<string>();

    public static IReadOnlyList<string>? Enum(JsonObject schema) =>
        schema["enum"] is JsonArray values ? values.Select(v => v!.GetValue<string>()).ToList() : null;

    public static bool Flag(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue v && v.TryGetValue<bool>(out var set) && set;

    /// <summary>The range an integer may take: its bounds, clipped to its format.</summary>
    public static (long Min, long Max) IntegerRange(JsonObject schema)
    {
        var (lo, hi) = Text(schema, "format") == "int32" ? (int.MinValue, (long)int.MaxValue) : (long.MinValue, long.MaxValue);
        return (Math.Max(lo, Long(schema, "minimum") ?? lo), Math.Min(hi, Long(schema, "maximum") ?? hi));
    }

    /// <summary>The branches of a shape union (CreateSourceRequest): discriminator value → schema name.</summary>
    public static IReadOnlyList<(string Value, string Schema)> Shapes(SpecDocument spec, string union)
    {
        var schema = spec.Schema(union);
        var property = schema["discriminator"]!["propertyName"]!.GetValue<string>();
        return schema["oneOf"]!.AsArray()
            .Select(branch => SpecDocument.NameOf(branch!["$ref"]!.GetValue<string>()))
            .Select(name => (Enum(Property(spec.Schema(name), property))!.Single(), name))
            .ToList();
    }
}
