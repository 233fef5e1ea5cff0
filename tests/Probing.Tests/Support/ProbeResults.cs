using System.Text.Json.Nodes;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Network;

namespace Sources.Probing.Tests.Support;

/// <summary>Reading and checking what a probe returned, the same way for every type.</summary>
public static class ProbeResults
{
    /// <summary>The string array <paramref name="name"/> of the discovery JSON.</summary>
    public static List<string> Strings(ProbeResult result, string name) =>
        JsonNode.Parse(result.DiscoveryJson!)![name]!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    /// <summary>The discovered tables as (name, kind), in the order the prober listed them.</summary>
    public static List<(string Name, string Kind)> Tables(ProbeResult result) =>
        JsonNode.Parse(result.DiscoveryJson!)!["tables"]!.AsArray()
            .Select(t => (t!["name"]!.GetValue<string>(), t["kind"]!.GetValue<string>()))
            .ToList();

    /// <summary>Refused by the network policy, in the words that give no port-scan signal.</summary>
    public static void AssertDenied(ProbeResult result)
    {
        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
        Assert.Equal(NetworkPolicy.DeniedMessage, result.Message);
    }
}
