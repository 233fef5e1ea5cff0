using System.Text.Json.Nodes;
using MongoDB.Driver;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.MongoDb;

/// <summary>
/// Parses a MONGODB connection string with the driver's own parser, after checking its options
/// against an allowlist: options that make the driver read files on this machine (tlsCAFile,
/// tlsCertificateKeyFile…), connect through a proxy (which would connect on our behalf,
/// unchecked), or sign in with an identity of this machine (MONGODB-AWS, GSSAPI, OIDC) are
/// refused by name.
/// </summary>
public static class MongoConnectionSettings
{
    private const string Pointer = "/connection_string";

    private static readonly HashSet<string> AllowedOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        "authSource", "authMechanism", "replicaSet", "directConnection", "loadBalanced",
        "tls", "ssl", "tlsInsecure", "tlsAllowInvalidCertificates", "tlsAllowInvalidHostnames", "tlsDisableCertificateRevocationCheck",
        "connectTimeoutMS", "serverSelectionTimeoutMS", "socketTimeoutMS", "timeoutMS", "heartbeatFrequencyMS", "localThresholdMS",
        "appName", "retryWrites", "retryReads", "w", "wTimeoutMS", "journal",
        "readPreference", "readPreferenceTags", "maxStalenessSeconds", "readConcernLevel",
        "compressors", "zlibCompressionLevel", "srvMaxHosts", "srvServiceName",
        "maxPoolSize", "minPoolSize", "maxIdleTimeMS", "maxConnecting", "waitQueueTimeoutMS", "uuidRepresentation", "serverMonitoringMode",
    };

    /// <summary>Why the options most often pasted from other setups are refused.</summary>
    private static readonly Dictionary<string, string> DeniedOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tlsCAFile"] = "it names a file on Sources' machine",
        ["tlsCertificateKeyFile"] = "it names a file on Sources' machine",
        ["tlsCertificateKeyFilePassword"] = "it belongs to a file on Sources' machine",
        ["proxyHost"] = "a proxy would connect on Sources' behalf, past its network checks",
        ["proxyPort"] = "a proxy would connect on Sources' behalf, past its network checks",
        ["proxyUsername"] = "a proxy would connect on Sources' behalf, past its network checks",
        ["proxyPassword"] = "a proxy would connect on Sources' behalf, past its network checks",
        ["authMechanismProperties"] = "it configures sign-in with an identity of Sources' machine",
        ["gssapiServiceName"] = "Kerberos sign-in is not supported",
    };

    /// <summary>Mechanisms that prove who the user is with what the connection string carries.</summary>
    private static readonly HashSet<string> AllowedMechanisms = new(StringComparer.OrdinalIgnoreCase) { "SCRAM-SHA-1", "SCRAM-SHA-256", "PLAIN" };

    public sealed record Parsed(MongoUrl? Url, SettingsProblem? Problem);

    public static Parsed From(JsonObject settings)
    {
        var text = SettingsFields.Text(settings, "connection_string");
        if (string.IsNullOrWhiteSpace(text))
            return Problem("'connection_string' is required.");
        if (!text.StartsWith("mongodb://", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("mongodb+srv://", StringComparison.OrdinalIgnoreCase))
            return Problem("The connection string must start with mongodb:// or mongodb+srv://.");
        if (OptionProblem(text) is { } optionProblem)
            return Problem(optionProblem);

        MongoUrl url;
        try
        {
            url = new MongoUrl(text);
        }
        catch (Exception ex) when (ex is MongoConfigurationException or FormatException or ArgumentException)
        {
            // The driver's message quotes the string, password included; say only that it failed.
            return Problem("The MongoDB driver could not parse the connection string.");
        }
        if (url.AuthenticationMechanism is { } mechanism && !AllowedMechanisms.Contains(mechanism))
            return Problem($"The authMechanism '{mechanism}' is not supported; use SCRAM-SHA-256, SCRAM-SHA-1 or PLAIN.");
        if (url.Servers.FirstOrDefault(s => !SettingsFields.IsHost(s.Host)) is { } bad)
            return Problem($"'{bad.Host}' is not a host name or an IP address.");
        return new Parsed(url, null);
    }

    /// <summary>The first option the allowlist refuses, as a message naming it.</summary>
    private static string? OptionProblem(string text)
    {
        var query = text.IndexOf('?');
        if (query < 0) return null;
        foreach (var pair in text[(query + 1)..].Split(['&', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Uri.UnescapeDataString(pair.Split('=', 2)[0]).Trim();
            if (DeniedOptions.TryGetValue(name, out var why))
                return $"The connection string option '{name}' is not allowed: {why}.";
            if (!AllowedOptions.Contains(name))
                return $"The connection string option '{name}' is not allowed.";
        }
        return null;
    }

    private static Parsed Problem(string message) => new(null, new SettingsProblem(Pointer, message));
}
