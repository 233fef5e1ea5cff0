using System.Text.Json;
using System.Text.Json.Nodes;
using Sources.Contracts;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Secrets;

namespace Sources.Api.Apis;

/// <summary>
/// Splits a validated request into what the grain keeps: the non-secret settings as JSON, and
/// the write-only fields sealed under the master key. Sealing here, at the edge, means plain
/// credentials never travel between nodes.
/// </summary>
public sealed class SourceConfigs(SecretSealer sealer, SourceSecrets secretsOf, ProbeRunner probes)
{
    /// <summary>
    /// What the type's prober can tell from the settings alone (a connection-string keyword
    /// that is not allowed, say), as field errors: a create that shows its own problem is a 400.
    /// </summary>
    public IReadOnlyList<SchemaError> Check(ICreateSourceRequest request) =>
        probes.Check(request.Type, Whole(request))
            .Select(p => new SchemaError(p.Pointer, "invalid_value", p.Message))
            .ToList();

    public SourceConfig From(ICreateSourceRequest request, long id)
    {
        var settings = JsonNode.Parse(JsonOutput.ToUtf8(request))!.AsObject();
        var secrets = new JsonObject();
        var full = Whole(request);
        foreach (var name in CreateSourceRequest.WriteOnlyPropertiesFor(request.Type))
            if (full[name] is { } value)
                secrets[name] = value.DeepClone();

        var accountName = settings["account_name"]?.GetValue<string>() ?? request.Type;
        return new SourceConfig(
            request.Type,
            accountName,
            settings.ToJsonString(),
            sealer.Seal(JsonSerializer.SerializeToUtf8Bytes(secrets), id),
            secrets.Select(p => p.Key).ToArray());
    }

    /// <summary>The whole request again, secrets included, for a change that must re-validate it.</summary>
    public JsonObject Unseal(SourceRecord record) => secretsOf.Whole(record);

    private static JsonObject Whole(ICreateSourceRequest request) =>
        JsonNode.Parse(JsonOutput.ToUtf8(request, includeWriteOnly: true))!.AsObject();
}
