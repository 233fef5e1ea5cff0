using System.Text.Json.Nodes;
using Sources.Silo.Grains.Sources;

namespace Sources.Silo.Secrets;

/// <summary>Opens a stored source's sealed secrets, for the few places that must use them.</summary>
public sealed class SourceSecrets(SecretSealer sealer)
{
    public JsonObject Secrets(SourceRecord record) =>
        record.SealedSecrets.Length == 0 ? [] : JsonNode.Parse(sealer.Unseal(record.SealedSecrets, record.Id))!.AsObject();

    /// <summary>
    /// Every text inside the secrets (each string of a sealed list or object too), for scrubbing
    /// from messages: a message that quoted one query value of a sealed URL is scrubbed as well.
    /// </summary>
    public static string[] Values(JsonObject secrets)
    {
        var values = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o: foreach (var (_, v) in o) Walk(v); break;
                case JsonArray a: foreach (var v in a) Walk(v); break;
                case JsonValue v when v.TryGetValue<string>(out var text): values.Add(text); break;
                case JsonValue v: values.Add(v.ToJsonString()); break;
            }
        }
        Walk(secrets);
        return [.. values];
    }

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
