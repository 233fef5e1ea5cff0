using System.Text.Json.Nodes;

namespace Sources.Contracts.Tests;

/// <summary>
/// The spec keeps each shape's rules across fields in <c>x-presence-rules</c>, which JSON Schema
/// validators do not read. Its content is plain JSON Schema, so the tests give NJsonSchema the
/// same rules as standard keywords on the shape: the oracle then judges every rule on its own,
/// as it would have, had the spec written them there.
/// </summary>
internal static class StandardRules
{
    public const string Extension = "x-presence-rules";

    /// <summary>The schema with its <c>x-presence-rules</c> moved onto it: each keyword as it is,
    /// or inside an <c>allOf</c> where the schema already has that keyword.</summary>
    public static JsonObject Lift(JsonObject schema)
    {
        var copy = schema.DeepClone().AsObject();
        if (copy[Extension] is not JsonObject rules) return copy;
        copy.Remove(Extension);
        foreach (var (keyword, rule) in rules.ToList())
        {
            if (keyword == "description") continue;
            if (copy[keyword] is null)
                copy[keyword] = rule!.DeepClone();
            else
                (copy["allOf"] ??= new JsonArray()).AsArray().Add(new JsonObject { [keyword] = rule!.DeepClone() });
        }
        return copy;
    }

    /// <summary>Every schema of the spec lifted.</summary>
    public static JsonObject LiftAll(JsonObject schemas) =>
        new(schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)(s.Value is JsonObject o ? Lift(o) : s.Value?.DeepClone()))));
}
