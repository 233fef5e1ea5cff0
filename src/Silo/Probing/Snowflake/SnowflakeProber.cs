using System.Text.Json.Nodes;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Http;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>
/// SNOWFLAKE over HTTPS. Key-pair first: a JWT signed with the sealed private key (Sources' own
/// or the user's PKCS#8 key) on the SQL API; with a password, the login the drivers use. Then
/// the version, the databases, schemas, tables and columns the user can see, and the warehouse
/// when one is named.
/// </summary>
public sealed class SnowflakeProber(NetworkPolicy network, SnowflakeSettings snowflake, TimeProvider time) : IProber
{
    private const int MaxRows = 1000;

    public string Type => "SNOWFLAKE";

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings)
    {
        var problems = new List<SettingsProblem>();
        if (!SnowflakeAccount.IsValid(SettingsFields.Text(settings, "account")))
            problems.Add(new("/account", "'account' must be a Snowflake account identifier: orgname-accountname, or a locator such as xy12345.us-east-1."));
        if (string.IsNullOrWhiteSpace(SettingsFields.Text(settings, "user")))
            problems.Add(new("/user", "'user' is required."));
        if (SettingsFields.Text(settings, "public_key") is { } publicKey && SnowflakeKeyPairs.NormalisePublicKey(publicKey) is null)
            problems.Add(new("/public_key", "'public_key' is not an RSA public key (base64 SPKI or PEM)."));
        if (SettingsFields.Text(settings, "private_key") is { } privateKey)
        {
            var passphrase = SettingsFields.Text(settings, "private_key_passphrase");
            // An encrypted key is only screened here (no PBKDF2): CheckAsync decrypts it on the
            // blocking pool, and a probe decrypts it there anyway before it signs.
            var problem = SnowflakePrivateKeys.IsEncrypted(privateKey)
                ? SnowflakePrivateKeys.Screen(privateKey, passphrase)
                : OpenAndDispose(privateKey, passphrase);
            if (problem is not null) problems.Add(problem);
        }
        return problems;
    }

    /// <summary>
    /// <see cref="Check"/>, then an encrypted key decrypted once on the bounded blocking pool (up to
    /// <see cref="SnowflakePrivateKeys.MaxIterations"/> PBKDF2 iterations), never on the caller's thread.
    /// </summary>
    public async Task<IReadOnlyList<SettingsProblem>> CheckAsync(JsonObject settings, Scheduling.BlockingWork blocking, CancellationToken cancellation)
    {
        var problems = Check(settings);
        if (problems.Count > 0 || SettingsFields.Text(settings, "private_key") is not { } privateKey || !SnowflakePrivateKeys.IsEncrypted(privateKey))
            return problems;
        var passphrase = SettingsFields.Text(settings, "private_key_passphrase");
        var problem = await blocking.Run(_ => OpenAndDispose(privateKey, passphrase), cancellation);
        return problem is null ? [] : [problem];
    }

    private static SettingsProblem? OpenAndDispose(string pem, string? passphrase)
    {
        var opened = SnowflakePrivateKeys.Open(pem, passphrase);
        opened.Key?.Dispose();
        return opened.Problem;
    }

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var account = SettingsFields.Text(settings, "account")!;
        var user = SettingsFields.Text(settings, "user")!;
        var warehouse = SettingsFields.Text(settings, "warehouse");
        var password = SettingsFields.Text(settings, "password");
        var baseUrl = SnowflakeAccount.BaseUrl(account, snowflake);
        // A stored public_key names a pair whose private key Sources generated and holds.
        var keyHeldBySources = SettingsFields.Text(settings, "public_key") is not null;
        using var http = GuardedHttp.Answers(network, context.Budget);
        try
        {
            ISnowflakeSession session;
            string? version = null;
            if (password is not null)
            {
                var login = await SnowflakeLogin.SignIn(http, baseUrl, account, user, password, warehouse, cancellation);
                (session, version) = (login, login.ServerVersion);
            }
            else if (SettingsFields.Text(settings, "private_key") is { } pem)
            {
                // PBKDF2 blocks its thread: on the blocking pool, within the probe's token.
                var passphrase = SettingsFields.Text(settings, "private_key_passphrase");
                var opened = await context.Blocking.Run(_ => SnowflakePrivateKeys.Open(pem, passphrase), cancellation);
                if (opened.Key is not { } key)
                    return ProbeResult.Failed(ProbeOutcome.InvalidConfig, opened.Problem!.Message);
                using (key)
                    session = new SnowflakeSqlApi(http, baseUrl, SnowflakeJwt.Create(account, user, key, time.GetUtcNow()), warehouse, StatementTimeout(context.Budget));
            }
            else
            {
                return ProbeResult.Failed(ProbeOutcome.InvalidConfig, "Sources holds no private key for this source: create it again without a public_key to get a new key pair.");
            }
            return await Discover(session, version, warehouse, cancellation);
        }
        catch (SnowflakeException ex)
        {
            return SnowflakeFailures.Classify(ex, keyHeldBySources, account);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            return HttpFailures.Classify(ex, baseUrl.Host, cancellation);
        }
    }

    private async Task<ProbeResult> Discover(ISnowflakeSession session, string? version, string? warehouse, CancellationToken cancellation)
    {
        var current = await session.Query("SELECT CURRENT_VERSION()", cancellation);
        version = current.Rows.FirstOrDefault()?.FirstOrDefault() ?? version;
        var databases = await session.Query("SHOW DATABASES", cancellation);
        var schemas = await session.Query("SHOW SCHEMAS IN ACCOUNT", cancellation);
        var objects = await session.Query(SnowflakeCatalog.ObjectsSql, cancellation);
        var columns = await session.Query(SnowflakeCatalog.ColumnsSql, cancellation);
        var primaryKeys = await session.Query(SnowflakeCatalog.PrimaryKeysSql, cancellation);
        var discovery = DiscoveredTables.Discovery(
        [
            new("databases", new JsonArray(databases.Column("name").OfType<string>().Take(MaxRows).Select(n => (JsonNode)n).ToArray())),
            new("database_schemas", new JsonArray(schemas.Column("database_name").Zip(schemas.Column("name"))
                .Where(s => s.First is not null && s.Second is not null)
                .Take(MaxRows)
                .Select(s => (JsonNode)new JsonObject { ["database"] = s.First, ["name"] = s.Second })
                .ToArray())),
        ], SnowflakeCatalog.Tables(objects), SnowflakeCatalog.Columns(columns, primaryKeys));
        var warnings = new List<string>();
        if (warehouse is not null)
        {
            var found = await session.Query($"SHOW WAREHOUSES LIKE '{LikeLiteral(warehouse)}'", cancellation);
            var exists = found.Column("name").Any(n => string.Equals(n, warehouse, StringComparison.OrdinalIgnoreCase));
            discovery["warehouse"] = new JsonObject { ["name"] = warehouse, ["found"] = exists };
            if (!exists) warnings.Add($"The warehouse '{warehouse}' does not exist or the user may not use it.");
        }
        return ProbeResult.Succeeded(version, discovery.ToJsonString(), warnings.ToArray());
    }

    /// <summary>The SQL API's own statement timeout, inside the probe's deadline.</summary>
    private static int StatementTimeout(TimeSpan budget) => Common.DriverTimeouts.Seconds(budget);

    /// <summary>A name as an exact LIKE pattern inside single quotes: quotes doubled, wildcards and backslashes escaped.</summary>
    internal static string LikeLiteral(string name) =>
        name.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("'", "''", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}
