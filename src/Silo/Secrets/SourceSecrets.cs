using System.Text.Json.Nodes;
using Sources.Silo.Grains.Sources;

namespace Sources.Silo.Secrets;

/// <summary>Opens a stored source's sealed secrets, for the few places that must use them.</summary>
public sealed class SourceSecrets(SecretSealer sealer)
{
    public JsonObject Secrets(SourceRecord record) =>
        record.SealedSecrets.Length == 0 ? [] : JsonNode.Parse(sealer.Unseal(record.SealedSecrets, record.Id))!.AsObject();

    /// <summary>The settings with the secrets put back: the request as it was sent.</summary>
    public JsonObject Whole(SourceRecord record) => Whole(record, Secrets(record));

    /// <summary>The same, from secrets the caller has already unsealed.</summary>
    public static JsonObject Whole(SourceRecord record, JsonObject secrets)
    {
        var whole = JsonNode.Parse(record.SettingsJson)!.AsObject();
        foreach (var (name, value) in secrets)
            whole[name] = value?.DeepClone();
        return whole;
    }
}
