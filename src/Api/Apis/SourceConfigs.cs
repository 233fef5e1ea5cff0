using System.Text.Json;
using System.Text.Json.Nodes;
using Sources.Contracts;
using Sources.Silo.Grains;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Snowflake;
using Sources.Silo.Secrets;

namespace Sources.Api.Apis;

/// <summary>
/// Splits a validated request into what the grain keeps: the non-secret settings as JSON, and
/// the write-only fields (and the URLs whose query strings are secrets, see UrlSecrets) sealed
/// under the master key. Sealing here, at the edge, means plain
/// credentials never travel between nodes.
/// </summary>
public sealed class SourceConfigs(SecretSealer sealer, SourceSecrets secretsOf, SettingsChecks probes, GrainReferences grains, SnowflakeKeyPairs pairs)
{
    /// <summary>Snowflake key pairs Sources generates and holds.</summary>
    public SnowflakeKeys Keys { get; } = new(grains, pairs, sealer);

    /// <summary>
    /// A body read as a create reads it: the request, or the answer refusing it (a 400 listing every
    /// field error found, or a 503 when the settings check found no room on the blocking pool within
    /// its budget).
    /// </summary>
    public sealed record Checked(ICreateSourceRequest? Request, IResult? Refusal);

    /// <summary>
    /// Everything a create, a test of settings and an update-config check before anything else
    /// happens: the contract's shape, then what the type's prober can tell from the settings
    /// alone (a connection-string keyword that is not allowed, say). With <paramref name="sameTypeAs"/>,
    /// the body must also keep that type.
    /// </summary>
    public async Task<Checked> Check(byte[] body, CancellationToken aborted, string? sameTypeAs = null)
    {
        var parsed = CreateSourceRequest.Parse(body);
        if (!parsed.IsValid) return Refused(parsed.Errors);
        var request = parsed.Value!;
        if (sameTypeAs is not null && request.Type != sameTypeAs)
            return Refused([new SchemaError("/type", "invalid_value", $"This connection is {sameTypeAs}; its type cannot change.")]);
        var check = await probes.Run(request.Type, Whole(request), aborted);
        if (check.Busy) return new Checked(null, Problems.Problems.CheckBusy(CheckBudgetSeconds));
        var problems = check.Problems
            .Select(p => new SchemaError(p.Pointer, "invalid_value", p.Message))
            .ToList();
        return problems.Count == 0 ? new Checked(request, null) : Refused(problems);
    }

    private static Checked Refused(IReadOnlyList<SchemaError> errors) => new(null, Problems.Problems.Validation(errors));

    /// <summary>What a busy settings check's Retry-After says: its budget, in whole seconds.</summary>
    private int CheckBudgetSeconds => Math.Max(1, (int)Math.Ceiling(probes.Settings.CheckBudget.TotalSeconds));

    public SourceConfig From(ICreateSourceRequest request, long id, SnowflakeKeys.Prepared? keys = null)
    {
        // One serialisation: the write-only fields move from the whole request into the secrets,
        // leaving exactly what the generated writer writes without them.
        var settings = Whole(request);
        var secrets = new JsonObject();
        foreach (var name in CreateSourceRequest.WriteOnlyPropertiesFor(request.Type))
            if (settings[name] is { } value)
            {
                settings.Remove(name);
                secrets[name] = value;
            }
        if (keys is not null)
        {
            // A key pair Sources holds: the public key is shown with the settings, the private key sealed.
            settings["public_key"] = keys.PublicKey;
            secrets["private_key"] = keys.PrivateKeyPem;
        }

        var secretsSet = secrets.Select(p => p.Key).ToList();
        secretsSet.AddRange(UrlSecrets.Seal(request.Type, settings, secrets));

        var accountName = settings["account_name"]?.GetValue<string>() ?? request.Type;
        return new SourceConfig(
            request.Type,
            accountName,
            settings.ToJsonString(),
            sealer.Seal(JsonSerializer.SerializeToUtf8Bytes(secrets), id),
            secretsSet.ToArray());
    }

    /// <summary>The whole request again, secrets included, for a change that must re-validate it.</summary>
    public JsonObject Unseal(SourceRecord record)
    {
        var whole = secretsOf.Whole(record);
        // A Snowflake pair Sources holds is named by its public key alone; the change finds the private key again.
        if (record.Type == "SNOWFLAKE" && whole.ContainsKey("public_key"))
            whole.Remove("private_key");
        return whole;
    }

    private static JsonObject Whole(ICreateSourceRequest request) =>
        JsonNode.Parse(JsonOutput.ToUtf8(request, includeWriteOnly: true))!.AsObject();
}
