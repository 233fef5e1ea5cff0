using System.Data.Common;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.SqlClient;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.MsSql;

/// <summary>
/// Builds the SqlClient settings of an MSSQL source from its separate fields or its ODBC-style
/// connection string, admitting only keywords that say where to connect, who to be and how to
/// protect the wire. Everything else is refused by name: integrated or Entra authentication
/// (they would sign in as the service's own identity), files on this machine (AttachDbFilename,
/// ServerCertificate), failover partners and SPNs (hosts the network policy would not see).
/// </summary>
public static class MsSqlConnectionSettings
{
    public const int DefaultPort = 1433;

    private delegate string? Apply(SqlConnectionStringBuilder builder, Target target, string value);

    private static readonly Dictionary<string, Apply> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        // The ODBC driver name says which client the user has; SqlClient needs none.
        ["driver"] = (_, _, _) => null,
        ["server"] = Server, ["address"] = Server, ["addr"] = Server, ["data source"] = Server,
        ["port"] = (_, t, v) => int.TryParse(v, out var port) && port is >= 1 and <= 65535 ? Set(() => t.Port = port) : "is not a port number",
        ["database"] = (b, _, v) => Set(() => b.InitialCatalog = v), ["initial catalog"] = (b, _, v) => Set(() => b.InitialCatalog = v),
        ["uid"] = (b, _, v) => Set(() => b.UserID = v), ["user id"] = (b, _, v) => Set(() => b.UserID = v), ["user"] = (b, _, v) => Set(() => b.UserID = v),
        ["pwd"] = (b, _, v) => Set(() => b.Password = v), ["password"] = (b, _, v) => Set(() => b.Password = v),
        ["encrypt"] = (b, _, v) => Encryption(v) is { } option ? Set(() => b.Encrypt = option) : "must be yes, no, mandatory, optional or strict",
        ["trustservercertificate"] = (b, _, v) => YesNo(v) is { } trust ? Set(() => b.TrustServerCertificate = trust) : "must be yes or no",
        ["hostnameincertificate"] = (b, _, v) => SettingsFields.IsHost(v) ? Set(() => b.HostNameInCertificate = v) : "must be a host name",
        ["app"] = (b, _, v) => Set(() => b.ApplicationName = v), ["application name"] = (b, _, v) => Set(() => b.ApplicationName = v),
        ["applicationintent"] = (b, _, v) => Enum.TryParse<ApplicationIntent>(v, true, out var intent) ? Set(() => b.ApplicationIntent = intent) : "must be ReadOnly or ReadWrite",
        // Accepted for compatibility; the probe's deadline bounds the wait whatever they say.
        ["logintimeout"] = Seconds, ["connection timeout"] = Seconds, ["connect timeout"] = Seconds, ["timeout"] = Seconds,
    };

    /// <summary>
    /// SqlClient and ODBC keywords Sources refuses, in Sources' spelling: a refusal names one of
    /// these, or else the keyword's place in the string, never the text as written (it may be a
    /// password's tail).
    /// </summary>
    private static readonly string[] KnownRefused =
    [
        "Trusted_Connection", "Integrated Security", "Authentication", "AttachDbFilename", "ServerCertificate",
        "Failover_Partner", "Failover Partner", "ServerSPN", "Server SPN", "Failover Partner SPN", "Persist Security Info",
        "MultiSubnetFailover", "Network Library", "Pooling", "Enlist", "Column Encryption Setting", "Attestation Protocol",
        "Enclave Attestation Url", "Host Name In Certificate", "Workstation ID", "Current Language", "Packet Size",
        "Connect Retry Count", "Connect Retry Interval", "Transparent Network IP Resolution", "IP Address Preference",
    ];

    /// <summary>Where to connect: the host the user named, checked by the network policy before use.</summary>
    public sealed class Target
    {
        public string Host { get; set; } = "";
        public int? Port { get; set; }
        public string? Instance { get; set; }

        /// <summary>The TLS the source asks for, from ssl_mode or the connection string.</summary>
        public TlsMode Tls { get; set; } = TlsSettings.DefaultMode;

        /// <summary>The connection string asks for TDS 8 (Encrypt=Strict): TLS before the prelogin.</summary>
        public bool Strict { get; set; }
    }

    public sealed record Built(SqlConnectionStringBuilder? Builder, Target? Target, SettingsProblem? Problem);

    public static Built From(JsonObject settings)
    {
        var connectionString = SettingsFields.Text(settings, "connection_string");
        var built = connectionString is null ? FromFields(settings) : FromOdbc(connectionString, SettingsFields.Text(settings, "password"));
        return built.Builder is null ? built : WithTls(built, settings, connectionString is not null && NamesTls(connectionString));
    }

    /// <summary>
    /// ssl_mode onto Encrypt and TrustServerCertificate. A connection string that names either must
    /// agree with the field (the field decides); without the field (a source stored before it) the
    /// string stands; without either, verify-full, SqlClient's own default said out loud. The
    /// prober's relay holds the TLS and checks the chain (ssl_ca or the machine's roots), with a
    /// port or with an instance name (whose port the prober asks SQL Browser for).
    /// </summary>
    private static Built WithTls(Built built, JsonObject settings, bool named)
    {
        var builder = built.Builder!;
        if (TlsSettings.Problems(settings).FirstOrDefault() is { } tlsProblem)
            return new Built(null, null, tlsProblem);
        var fromString = named ? Implied(builder) : (TlsMode?)null;
        if (TlsSettings.Conflict(settings, fromString, "Encrypt and TrustServerCertificate") is { } conflict)
            return new Built(null, null, conflict);
        var mode = TlsSettings.From(settings, fromString).Mode;
        built.Target!.Tls = mode;
        built.Target.Strict = builder.Encrypt == SqlConnectionEncryptOption.Strict && mode != TlsMode.Disable;
        if (mode != fromString)
        {
            builder.Encrypt = mode == TlsMode.Disable ? SqlConnectionEncryptOption.Optional : SqlConnectionEncryptOption.Mandatory;
            builder.TrustServerCertificate = mode == TlsMode.Require;
        }
        return built;
    }

    /// <summary>What Encrypt and TrustServerCertificate say together; Strict always verifies, whatever TrustServerCertificate says.</summary>
    private static TlsMode Implied(SqlConnectionStringBuilder builder) =>
        builder.Encrypt == SqlConnectionEncryptOption.Strict ? TlsMode.VerifyFull
        : builder.Encrypt == SqlConnectionEncryptOption.Optional ? TlsMode.Disable
        : builder.TrustServerCertificate ? TlsMode.Require
        : TlsMode.VerifyFull;

    private static bool NamesTls(string connectionString)
    {
        try
        {
            var parsed = new DbConnectionStringBuilder(useOdbcRules: true) { ConnectionString = connectionString };
            return parsed.Keys.Cast<string>().Any(k => k.Trim().Equals("encrypt", StringComparison.OrdinalIgnoreCase) || k.Trim().Equals("trustservercertificate", StringComparison.OrdinalIgnoreCase));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static Built FromFields(JsonObject settings)
    {
        var problems = SettingsFields.Required(settings, "hostname", "username", "database_name")
            .Concat(new[] { SettingsFields.Host(settings, "hostname"), SettingsFields.Port(settings) }.OfType<SettingsProblem>())
            .ToList();
        if (problems.Count > 0)
            return new Built(null, null, problems[0]);
        var builder = new SqlConnectionStringBuilder
        {
            UserID = SettingsFields.Text(settings, "username"),
            Password = SettingsFields.Text(settings, "password") ?? "",
            InitialCatalog = SettingsFields.Text(settings, "database_name"),
            // The driver's default, said out loud: encrypted, and the certificate must match the name.
            Encrypt = SqlConnectionEncryptOption.Mandatory,
        };
        var target = new Target { Host = SettingsFields.Text(settings, "hostname")!.Trim(), Port = SettingsFields.Port(settings, DefaultPort) };
        return new Built(builder, target, null);
    }

    private static Built FromOdbc(string connectionString, string? password)
    {
        DbConnectionStringBuilder parsed;
        try
        {
            parsed = new DbConnectionStringBuilder(useOdbcRules: true) { ConnectionString = connectionString };
        }
        catch (ArgumentException)
        {
            return Problem("The connection string is not a list of keyword=value pairs.");
        }

        var builder = new SqlConnectionStringBuilder { Encrypt = SqlConnectionEncryptOption.Mandatory };
        var target = new Target();
        var position = 0;
        foreach (string key in parsed.Keys)
        {
            position++;
            var name = AsWritten(connectionString, key.Trim());
            // A badly quoted password turns its tail into "keywords": a message names a keyword
            // by its place in the string, or by Sources' own name for it, never as written.
            if (!Allowed.TryGetValue(name, out var apply))
                return Problem($"The connection string {Refused(name, position)} is not allowed (a value holding ';' must be in braces); allowed: Driver, Server, Port, Database, Uid, Pwd, Encrypt, TrustServerCertificate, HostNameInCertificate, App, ApplicationIntent, LoginTimeout.");
            var value = Unbraced(Convert.ToString(parsed[key], System.Globalization.CultureInfo.InvariantCulture)?.Trim() ?? "");
            if (apply(builder, target, value) is { } complaint)
                return Problem($"The connection string keyword {Allowed.Keys.First(k => k.Equals(name, StringComparison.OrdinalIgnoreCase))} {complaint}.");
        }
        // Fields given beside the connection string fill what it leaves out.
        if (string.IsNullOrEmpty(builder.Password) && password is not null)
            builder.Password = password;
        if (target.Host.Length == 0)
            return Problem("The connection string names no server.");
        if (target.Instance is not null && target.Port is not null)
            target.Instance = null; // a port wins over an instance name, as in SqlClient
        target.Port ??= target.Instance is null ? DefaultPort : null;
        return new Built(builder, target, null);
    }

    /// <summary>Server=[tcp:]host[\instance][,port]; other protocols (named pipes, shared memory) reach this machine.</summary>
    private static string? Server(SqlConnectionStringBuilder _, Target target, string value)
    {
        var rest = value;
        if (rest.Contains(':') && !rest.StartsWith('['))
        {
            var prefix = rest[..rest.IndexOf(':')];
            if (!prefix.Equals("tcp", StringComparison.OrdinalIgnoreCase))
                return "must name a TCP server (tcp:host,port); other protocols are not allowed";
            rest = rest[(prefix.Length + 1)..];
        }
        var comma = rest.LastIndexOf(',');
        if (comma >= 0)
        {
            if (!int.TryParse(rest[(comma + 1)..].Trim(), out var port) || port is < 1 or > 65535)
                return "has a port that is not a number from 1 to 65535";
            target.Port = port;
            rest = rest[..comma];
        }
        var slash = rest.IndexOf('\\');
        if (slash >= 0)
        {
            target.Instance = rest[(slash + 1)..].Trim();
            // SQL Server's own rule for instance names, in the single-byte characters SQL Browser is asked in.
            if (!Regex.IsMatch(target.Instance, @"^[A-Za-z_#&][A-Za-z0-9_#&$]{0,15}$"))
                return "has an instance name that is not 1 to 16 letters, digits, '_', '#', '&' or '$'";
            rest = rest[..slash];
        }
        rest = rest.Trim();
        if (rest is "." or "(local)" || !SettingsFields.IsHost(rest))
            return "must name a host by its name or IP address";
        target.Host = rest;
        return null;
    }

    private static string Refused(string written, int position) =>
        KnownRefused.FirstOrDefault(k => k.Equals(written, StringComparison.OrdinalIgnoreCase)) is { } known
            ? $"keyword {known}"
            : $"keyword number {position}";

    /// <summary>The keyword as the user wrote it; the parser hands keys back in lower case.</summary>
    private static string AsWritten(string connectionString, string key) =>
        Regex.Match(connectionString, @"(?:^|;)\s*(" + Regex.Escape(key) + @")\s*=", RegexOptions.IgnoreCase) is { Success: true } match
            ? match.Groups[1].Value
            : key;

    /// <summary>ODBC quotes a value holding ';' in braces, doubling any '}' inside; the parser keeps them.</summary>
    private static string Unbraced(string value) =>
        value.Length >= 2 && value[0] == '{' && value[^1] == '}' ? value[1..^1].Replace("}}", "}", StringComparison.Ordinal) : value;

    private static string? Seconds(SqlConnectionStringBuilder _, Target __, string value) =>
        int.TryParse(value, out var seconds) && seconds >= 0 ? null : "must be a number of seconds";

    private static SqlConnectionEncryptOption? Encryption(string value) => value.ToLowerInvariant() switch
    {
        "yes" or "true" or "mandatory" => SqlConnectionEncryptOption.Mandatory,
        "no" or "false" or "optional" => SqlConnectionEncryptOption.Optional,
        "strict" => SqlConnectionEncryptOption.Strict,
        _ => null,
    };

    private static bool? YesNo(string value) => value.ToLowerInvariant() switch
    {
        "yes" or "true" => true,
        "no" or "false" => false,
        _ => null,
    };

    private static string? Set(Action apply)
    {
        apply();
        return null;
    }

    private static Built Problem(string message) => new(null, null, new SettingsProblem("/connection_string", message));
}
