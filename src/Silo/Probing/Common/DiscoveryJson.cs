using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.Common;

/// <summary>Small builders for the discovery JSON every prober returns.</summary>
public static class DiscoveryJson
{
    /// <summary>Most tables a probe lists; discovery is an overview, not a catalogue dump.</summary>
    public const int MaxTables = 1000;

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    public static JsonArray Objects(IEnumerable<JsonObject> values) => new(values.Cast<JsonNode>().ToArray());
}
