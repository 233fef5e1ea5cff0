using System.Data.Common;
using System.Text.Json.Nodes;
using Npgsql;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.Postgres;

/// <summary>
/// Builds the Npgsql settings of a POSTGRES source from its separate fields or its connection
/// string (key=value pairs or a postgresql:// URI), admitting only keywords that say where to
/// connect and how: nothing that names a local file (passfile, certificates, keys) or changes
/// what the driver or server runs (options, include error detail, compatibility modes).
/// </summary>
public static class PostgresConnectionSettings
{
    private static readonly Dictionary<string, string> Allowed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["host"] = "Host", ["server"] = "Host",
        ["port"] = "Port",
        ["database"] = "Database", ["db"] = "Database", ["dbname"] = "Database",
        ["username"] = "Username", ["user"] = "Username", ["userid"] = "Username", ["user id"] = "Username", ["uid"] = "Username",
        ["password"] = "Password", ["pwd"] = "Password", ["psw"] = "Password",
        ["sslmode"] = "SSL Mode", ["ssl mode"] = "SSL Mode",
        ["timeout"] = "Timeout", ["connect_timeout"] = "Timeout",
        ["command timeout"] = "Command Timeout", ["commandtimeout"] = "Command Timeout",
        ["application name"] = "Application Name", ["applicationname"] = "Application Name", ["application_name"] = "Application Name",
        ["keepalive"] = "Keepalive",
        ["target session attributes"] = "Target Session Attributes", ["target_session_attrs"] = "Target Session Attributes",
    };

    /// <summary>The Npgsql keywords a connection string may set, each once, in Npgsql's spelling.</summary>
    internal static IEnumerable<string> Keywords => Allowed.Values.Distinct();

    /// <summary>
    /// Npgsql keywords Sources refuses, in Sources' spelling: a refusal names one of these, or
    /// else the keyword's place in the string, never the text as written (it may be a password's tail).
    /// </summary>
    private static readonly string[] KnownRefused =
    [
        "Passfile", "SSL Certificate", "SSL Key", "SSL Password", "Root Certificate", "Check Certificate Revocation",
        "Trust Server Certificate", "Options", "Include Error Detail", "Log Parameters", "Kerberos Service Name", "Include Realm",
        "Integrated Security", "Persist Security Info", "Require Auth", "Channel Binding", "GSS Encryption Mode",
        "Server Compatibility Mode", "Load Balance Hosts", "Search Path", "Client Encoding", "Encoding", "Timezone",
        "Pooling", "Multiplexing", "No Reset On Close", "Host Recheck Seconds",
        // libpq's names, as a postgresql:// URI's options carry them.
        "sslrootcert", "sslcert", "sslkey", "sslpassword", "sslcrl", "krbsrvname", "gssencmode", "channel_binding",
        "require_auth", "service",
    ];

    /// <param name="Tls">
    /// The source's TLS: the ssl_mode field, else the connection string's sslmode (a source stored
    /// before the field), else verify-full; null for a stored sslmode prefer or allow.
    /// </param>
    public sealed record Built(NpgsqlConnectionStringBuilder? Builder, string? Problem, string Pointer, TlsSettings? Tls = null);

    public static Built From(JsonObject settings)
    {
        if (TlsSettings.Problems(settings).FirstOrDefault() is { } tlsProblem)
            return new Built(null, tlsProblem.Message, tlsProblem.Pointer);
        var connectionString = settings["connection_string"]?.GetValue<string>();
        if (connectionString is null)
            return FromFields(settings);

        var pairs = connectionString.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || connectionString.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? FromUri(connectionString)
            : FromKeyValues(connectionString);
        if (pairs.Problem is not null)
            return new Built(null, pairs.Problem, "/connection_string");

        var builder = new NpgsqlConnectionStringBuilder();
        var position = 0;
        foreach (var (key, value) in pairs.Values!)
        {
            position++;
            // A badly quoted password turns its tail into "keywords": a message names a keyword
            // by its place in the string, or by Sources' own name for it, never as written.
            if (!Allowed.TryGetValue(key.Trim(), out var canonical))
                return new Built(null, $"The connection string {Refused(key.Trim(), position)} is not allowed (a value holding ';' must be quoted); allowed: host, port, database, username, password, sslmode, timeout, command timeout, application name, keepalive, target session attributes.", "/connection_string");
            try
            {
                builder[canonical] = value;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException)
            {
                return new Built(null, $"The connection string's {canonical} has a value Npgsql does not accept.", "/connection_string");
            }
        }
        // Fields given beside the connection string fill what it leaves out.
        builder.Password ??= settings["password"]?.GetValue<string>();
        if (string.IsNullOrWhiteSpace(builder.Host))
            return new Built(null, "The connection string names no host.", "/connection_string");
        if (builder.Host.Contains(','))
            return new Built(null, "The connection string names several hosts; Sources checks one host per source.", "/connection_string");
        // Npgsql takes any other only with several hosts, and refuses it when the probe starts.
        if (builder.TargetSessionAttributes is { } attributes && !attributes.Equals("any", StringComparison.OrdinalIgnoreCase))
            return new Built(null, "The connection string's target session attributes may only be any: they choose among several hosts, and Sources checks one host per source.", "/connection_string");
        return WithTls(builder, settings, named: pairs.Values!.Any(p => Allowed.TryGetValue(p.Key.Trim(), out var c) && c == "SSL Mode"));
    }

    /// <summary>
    /// The connection string's sslmode, when it names one, must agree with ssl_mode: the field
    /// decides. Without the field (a source stored before it) the string's sslmode stands, prefer
    /// and allow included; without either, verify-full.
    /// </summary>
    private static Built WithTls(NpgsqlConnectionStringBuilder builder, JsonObject settings, bool named)
    {
        var fromString = named ? AsTlsMode(builder.SslMode) : null;
        if (named && fromString is null && settings["ssl_mode"] is not null)
            return new Built(null, $"The connection string's sslmode {builder.SslMode.ToString().ToLowerInvariant()} is not offered: TLS only when the server agrees lets a man in the middle turn it off. Leave sslmode out and choose ssl_mode.", "/ssl_mode");
        if (TlsSettings.Conflict(settings, fromString, "sslmode") is { } conflict)
            return new Built(null, conflict.Message, conflict.Pointer);
        // prefer or allow, from a source stored before the field: Npgsql's own mode, no certificate check.
        if (named && fromString is null)
            return new Built(builder, null, "");
        var tls = TlsSettings.From(settings, fromString);
        builder.SslMode = AsSslMode(tls.Mode);
        return new Built(builder, null, "", tls);
    }

    private static TlsMode? AsTlsMode(SslMode mode) => mode switch
    {
        SslMode.Disable => TlsMode.Disable,
        SslMode.Require => TlsMode.Require,
        SslMode.VerifyCA => TlsMode.VerifyCa,
        SslMode.VerifyFull => TlsMode.VerifyFull,
        _ => null,
    };

    private static SslMode AsSslMode(TlsMode mode) => mode switch
    {
        TlsMode.Disable => SslMode.Disable,
        TlsMode.Require => SslMode.Require,
        TlsMode.VerifyCa => SslMode.VerifyCA,
        _ => SslMode.VerifyFull,
    };

    private static string Refused(string written, int position) =>
        KnownRefused.FirstOrDefault(k => k.Equals(written, StringComparison.OrdinalIgnoreCase)) is { } known
            ? $"keyword {known}"
            : $"keyword number {position}";

    private static Built FromFields(JsonObject settings) => WithTls(new NpgsqlConnectionStringBuilder
    {
        Host = settings["hostname"]?.GetValue<string>(),
        Port = settings["port"]?.GetValue<int>() ?? 5432,
        Username = settings["username"]?.GetValue<string>(),
        Password = settings["password"]?.GetValue<string>(),
        Database = settings["database_name"]?.GetValue<string>(),
    }, settings, named: false);

    private sealed record Pairs(List<KeyValuePair<string, string>>? Values, string? Problem);

    private static Pairs FromKeyValues(string connectionString)
    {
        try
        {
            var parsed = new DbConnectionStringBuilder { ConnectionString = connectionString };
            return new Pairs(parsed.Keys.Cast<string>().Select(k => new KeyValuePair<string, string>(k, Convert.ToString(parsed[k]) ?? "")).ToList(), null);
        }
        catch (ArgumentException)
        {
            return new Pairs(null, "The connection string is not a list of keyword=value pairs.");
        }
    }

    private static Pairs FromUri(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            return new Pairs(null, "The connection string is not a valid postgresql:// URI.");
        var values = new List<KeyValuePair<string, string>> { new("host", uri.Host) };
        if (!uri.IsDefaultPort && uri.Port > 0) values.Add(new("port", uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) values.Add(new("database", database));
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            values.Add(new("username", Uri.UnescapeDataString(parts[0])));
            if (parts.Length == 2) values.Add(new("password", Uri.UnescapeDataString(parts[1])));
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            values.Add(new(Uri.UnescapeDataString(kv[0]), kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : ""));
        }
        return new Pairs(values, null);
    }
}
