using System.Diagnostics.Metrics;

namespace Sources.Silo.Grains.Keys;

/// <summary>
/// The "Sources.Keys" meter: how each key verification was answered — from this node's lease (no
/// grain call), by the key's grain, from the cache of unknown ids, by the storage lookup, or
/// refused for its shape. A falling share of lease answers is what makes authentication cost
/// grain calls. Never tagged with a key or its id.
/// </summary>
internal static class KeyMetrics
{
    public const string MeterName = "Sources.Keys";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Verifications = Meter.CreateCounter<long>("sources.keys.verifications", unit: "{verification}",
        description: "Key verifications by how they were answered: lease, grain, unknown, lookup or malformed.");

    private static readonly KeyValuePair<string, object?> Lease = new("answered_by", "lease");
    private static readonly KeyValuePair<string, object?> Grain = new("answered_by", "grain");
    private static readonly KeyValuePair<string, object?> Unknown = new("answered_by", "unknown");
    private static readonly KeyValuePair<string, object?> Lookup = new("answered_by", "lookup");
    private static readonly KeyValuePair<string, object?> Malformed = new("answered_by", "malformed");

    public static void LeaseHit() => Verifications.Add(1, Lease);
    public static void AskedGrain() => Verifications.Add(1, Grain);
    public static void KnownUnknown() => Verifications.Add(1, Unknown);
    public static void LookedUp() => Verifications.Add(1, Lookup);
    public static void WrongShape() => Verifications.Add(1, Malformed);
}
