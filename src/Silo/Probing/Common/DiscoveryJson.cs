using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.Common;

/// <summary>Small builders for the discovery JSON every prober returns, in the shapes the spec's <c>Discovery</c> names.</summary>
public static class DiscoveryJson
{
    /// <summary>Most tables (collections, tools) a probe lists; discovery is an overview, not a catalogue dump.</summary>
    public const int MaxTables = 1000;

    public const string Relational = "relational";
    public const string Document = "document";
    public const string Tools = "tools";
    public const string Files = "files";

    /// <summary>A discovery of <paramref name="kind"/>, which is always its first member.</summary>
    public static JsonObject Start(string kind) => new() { ["kind"] = kind };

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    public static JsonArray Objects(IEnumerable<JsonObject> values) => new(values.Cast<JsonNode>().ToArray());
}
