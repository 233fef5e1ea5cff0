using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.MongoDb;
using Sources.Silo.Probing.MsSql;
using Sources.Silo.Probing.Postgres;

namespace Sources.Silo.Probing.Targets;

/// <summary>
/// Whose account a probe signs in to: the type, the host and the user, read from the settings
/// the way the type's prober reads them. Where a type has no user (a token is the identity:
/// MotherDuck, MCP) a fingerprint of the token stands in, so one tenant's broken token does not
/// hold back another's; the fingerprint lives only in this node's memory.
/// </summary>
internal static class ProbeTargets
{
    /// <summary>The target's key, or null when the settings name none (they are then invalid, and no probe signs in).</summary>
    public static string? Of(string type, JsonObject settings)
    {
        try
        {
            return type.ToUpperInvariant() switch
            {
                "POSTGRES" => PostgresConnectionSettings.From(settings).Builder is { } pg ? Key(type, pg.Host, pg.Username) : null,
                "MYSQL" or "SINGLESTORE" => Key(type, Text(settings, "hostname"), Text(settings, "username")),
                "MSSQL" => MsSqlConnectionSettings.From(settings) is { Builder: { } sql, Target: { } at } ? Key(type, at.Host, sql.UserID) : null,
                "CLICKHOUSE" => Key(type, Text(settings, "host"), Text(settings, "username") ?? "default"),
                // Snowflake user names are case-insensitive (unquoted), as are account identifiers.
                "SNOWFLAKE" => Key(type, Text(settings, "account"), Text(settings, "user")?.ToUpperInvariant()),
                "MONGODB" => MongoConnectionSettings.From(settings).Url is { } mongo
                    ? Key(type, string.Join(',', mongo.Servers.Select(s => s.Host)), mongo.Username) : null,
                "BIGQUERY" => settings["service_account_key"] is JsonObject account ? Key(type, "bigquery.googleapis.com", Text(account, "client_email")) : null,
                "MOTHERDUCK" => Key(type, "motherduck", Fingerprint(Text(settings, "token"))),
                "MCP" => Uri.TryCreate(Text(settings, "base_url"), UriKind.Absolute, out var mcp) ? Key(type, mcp.Host, Fingerprint(Text(settings, "access_token"))) : null,
                "FILE" => settings["file_urls"] is JsonArray { Count: > 0 } urls && urls[0] is JsonObject first
                    && Uri.TryCreate(Text(first, "url"), UriKind.Absolute, out var file) ? Key(type, file.Host, "") : null,
                _ => null,
            };
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // Settings a prober would refuse as invalid_config: no sign-in happens, so there is nothing to count.
            return null;
        }
    }

    private static string? Text(JsonObject settings, string name) => SettingsFields.Text(settings, name);

    private static string? Key(string type, string? host, string? user) =>
        string.IsNullOrWhiteSpace(host) || user is null ? null : $"{type.ToUpperInvariant()}\n{host.Trim().ToLowerInvariant()}\n{user.Trim()}";

    private static string? Fingerprint(string? token) =>
        token is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..32];
}
