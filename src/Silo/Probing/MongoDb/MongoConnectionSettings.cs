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

    /// <summary>Mechanisms a refusal may name, in Sources' spelling; any other is refused without quoting it.</summary>
    private static readonly string[] KnownMechanisms = ["MONGODB-AWS", "MONGODB-X509", "MONGODB-OIDC", "MONGODB-CR", "GSSAPI"];

    /// <param name="Tls">The source's TLS: ssl_mode, else what the connection string's TLS options say (a source stored before the field), else verify-full.</param>
    public sealed record Parsed(MongoUrl? Url, SettingsProblem? Problem, TlsSettings? Tls = null);

    public static Parsed From(JsonObject settings)
    {
        var text = SettingsFields.Text(settings, "connection_string");
        if (string.IsNullOrWhiteSpace(text))
            return Problem("'connection_string' is required.");
        if (!text.StartsWith("mongodb://", StringComparison.OrdinalIgnoreCase) && !text.StartsWith("mongodb+srv://", StringComparison.OrdinalIgnoreCase))
            return Problem("The connection string must start with mongodb:// or mongodb+srv://.");
        MongoUrl url;
        MongoDB.Driver.Core.Configuration.ConnectionString options;
        try
        {
            // The allowlist runs over the options as the driver itself reads them, not over a
            // second reading of the text that a '?' inside the password could make disagree.
            options = new MongoDB.Driver.Core.Configuration.ConnectionString(text);
            url = new MongoUrl(text);
        }
        catch (Exception ex) when (ex is MongoConfigurationException or FormatException or ArgumentException)
        {
            // The driver's message quotes the string, password included; say only that it failed.
            return Problem("The MongoDB driver could not parse the connection string.");
        }
        if (OptionProblem(options.AllOptionNames) is { } optionProblem)
            return Problem(optionProblem);
        if (url.AuthenticationMechanism is { } mechanism && !AllowedMechanisms.Contains(mechanism))
            return Problem(KnownMechanisms.FirstOrDefault(k => k.Equals(mechanism, StringComparison.OrdinalIgnoreCase)) is { } known
                ? $"The authMechanism {known} is not supported; use SCRAM-SHA-256, SCRAM-SHA-1 or PLAIN."
                : "The connection string's authMechanism is not supported; use SCRAM-SHA-256, SCRAM-SHA-1 or PLAIN.");
        if (url.Servers.Select((server, i) => (server, i)).FirstOrDefault(s => !SettingsFields.IsHost(s.server.Host)) is { server: not null } bad)
            return Problem($"Host number {bad.i + 1} of the connection string is not a host name or an IP address.");
        if (TlsSettings.Problems(settings).FirstOrDefault() is { } tlsProblem)
            return new Parsed(null, tlsProblem);
        var (named, tlsOn) = NamedTls(options);
        // tls=true alone says TLS, not how strict: it agrees with every mode but disable.
        if (tlsOn && named is null && TlsSettings.Parse(SettingsFields.Text(settings, "ssl_mode")) == TlsMode.Disable)
            return new Parsed(null, new SettingsProblem("/ssl_mode", "The connection string's tls=true says TLS but ssl_mode is disable: the field decides; make them agree or leave tls out of the connection string."));
        if (TlsSettings.Conflict(settings, named, "TLS options") is { } conflict)
            return new Parsed(null, conflict);
        return new Parsed(url, null, TlsSettings.From(settings, named ?? (tlsOn ? TlsMode.VerifyFull : null)));
    }

    /// <summary>
    /// The mode the connection string's own TLS options name, when they name one: tls (or ssl)
    /// false is disable; tlsInsecure or tlsAllowInvalidCertificates is require;
    /// tlsAllowInvalidHostnames is verify-ca. And whether it turns TLS on (tls=true), which says
    /// nothing of the check.
    /// </summary>
    private static (TlsMode? Named, bool TlsOn) NamedTls(MongoDB.Driver.Core.Configuration.ConnectionString options)
    {
        bool? Flag(string name) =>
            options.AllOptionNames.Any(n => n.Equals(name, StringComparison.OrdinalIgnoreCase))
            && bool.TryParse(options.GetOption(name), out var value) ? value : null;
        if (Flag("tls") == false || Flag("ssl") == false)
            return (TlsMode.Disable, false);
        if (Flag("tlsInsecure") == true || Flag("tlsAllowInvalidCertificates") == true)
            return (TlsMode.Require, true);
        if (Flag("tlsAllowInvalidHostnames") == true)
            return (TlsMode.VerifyCa, true);
        return (null, Flag("tls") == true || Flag("ssl") == true);
    }

    /// <summary>
    /// The first option the allowlist refuses. It is named by Sources' own spelling when it is one
    /// Sources knows, else by its place: text the driver read as an option may be part of a password.
    /// </summary>
    private static string? OptionProblem(IEnumerable<string> names)
    {
        var position = 0;
        foreach (var name in names)
        {
            position++;
            if (DeniedOptions.Keys.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } denied)
                return $"The connection string option {denied} is not allowed: {DeniedOptions[denied]}.";
            if (!AllowedOptions.Contains(name))
                return $"The connection string's option number {position} is not allowed.";
        }
        return null;
    }

    private static Parsed Problem(string message) => new(null, new SettingsProblem(Pointer, message));
}
