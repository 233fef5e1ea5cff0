using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.BigQuery;

/// <summary>
/// A Google service-account key, given as the JSON object or as a string holding it. Read
/// without contacting anything, so a broken key is a 400 naming the field inside it.
/// </summary>
public sealed record ServiceAccountKey(string ProjectId, string ClientEmail, string PrivateKeyPem, string? PrivateKeyId, string TokenUri)
{
    private const string Pointer = "/service_account_key";

    public sealed record Parsed(ServiceAccountKey? Key, IReadOnlyList<SettingsProblem> Problems);

    public static Parsed Parse(JsonNode? value, BigQuerySettings settings)
    {
        if (ObjectOf(value) is not { } key)
            return Fail(new SettingsProblem(Pointer, "'service_account_key' must be a service-account key: its JSON object, or a string holding that JSON."));

        var problems = new List<SettingsProblem>();
        if (SettingsFields.Text(key, "type") != "service_account")
            problems.Add(new(Pointer + "/type", "The key's type must be 'service_account'."));
        foreach (var field in new[] { "project_id", "client_email", "private_key" })
            if (string.IsNullOrWhiteSpace(SettingsFields.Text(key, field)))
                problems.Add(new($"{Pointer}/{field}", $"The key has no '{field}'."));
        if (SettingsFields.Text(key, "private_key") is { Length: > 0 } pem && !IsRsaPrivateKey(pem))
            problems.Add(new(Pointer + "/private_key", "The key's private_key is not a PKCS#8 RSA private key in PEM form."));
        var tokenUri = SettingsFields.Text(key, "token_uri") ?? BigQuerySettings.GoogleTokenUri;
        if (!settings.AllowedTokenUris.Contains(tokenUri, StringComparer.Ordinal))
            problems.Add(new(Pointer + "/token_uri", $"The key's token_uri must be Google's token endpoint ({BigQuerySettings.GoogleTokenUri})."));
        if (problems.Count > 0)
            return Fail([.. problems]);
        return new Parsed(new ServiceAccountKey(SettingsFields.Text(key, "project_id")!, SettingsFields.Text(key, "client_email")!, SettingsFields.Text(key, "private_key")!, SettingsFields.Text(key, "private_key_id"), tokenUri), []);
    }

    private static JsonObject? ObjectOf(JsonNode? value)
    {
        if (value is JsonObject direct) return direct;
        if (value is not JsonValue text || !text.TryGetValue<string>(out var json)) return null;
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsRsaPrivateKey(string pem)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    private static Parsed Fail(params SettingsProblem[] problems) => new(null, problems);
}
