using System.Text.Json;
using System.Text.Json.Nodes;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Http;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.ClickHouse;

/// <summary>
/// CLICKHOUSE over its documented HTTP interface rather than a driver: the interface works with
/// every server version and ClickHouse Cloud alike, where drivers read results only from servers
/// inside their supported window. Each new connection goes to an address the network policy
/// checked, the URL keeps the host name so TLS verifies it, and redirects are not followed.
/// Queries go as GET, which ClickHouse runs read-only.
/// </summary>
public sealed class ClickHouseProber(NetworkPolicy network) : IProber
{
    private static readonly string[] SystemDatabases = ["system", "INFORMATION_SCHEMA", "information_schema"];

    public string Type => "CLICKHOUSE";

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings)
    {
        var problems = SettingsFields.Required(settings, "host", "username").ToList();
        // The password may be empty (a fresh server's default user) but must be there.
        if (settings["password"] is not JsonValue password || !password.TryGetValue<string>(out _))
            problems.Add(new SettingsProblem("/password", "'password' is required (it may be empty)."));
        problems.AddRange(new[] { SettingsFields.Host(settings, "host"), SettingsFields.Port(settings) }.OfType<SettingsProblem>());
        problems.AddRange(TlsSettings.Problems(settings));
        return problems;
    }

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var endpoint = ClickHouseEndpoint.For(settings);
        var host = SettingsFields.Text(settings, "host")!;
        var database = SettingsFields.Text(settings, "database");
        var check = new ServerCertificateCheck(ClickHouseEndpoint.Tls(settings), host);
        using var http = GuardedHttp.Answers(network, context.Budget, check.Callback);
        var client = new ClickHouseQueries(http, endpoint, SettingsFields.Text(settings, "username")!, SettingsFields.Text(settings, "password")!);
        try
        {
            // Asked in the database, so a missing one answers 81 before anything else is read.
            var version = await client.Rows("SELECT version() AS version", database, cancellation);
            if (version.Failure is not null) return Failed(version.Failure, host, database);
            var databases = await client.Rows("SELECT name FROM system.databases ORDER BY name LIMIT 1000", null, cancellation);
            if (databases.Failure is not null) return Failed(databases.Failure, host, database);
            var discovery = new JsonObject
            {
                ["databases"] = DiscoveryJson.Strings(Column(databases.Rows!, "name").Where(d => !SystemDatabases.Contains(d, StringComparer.Ordinal))),
            };
            if (database is not null)
            {
                var tables = await client.Rows(
                    $"SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name LIMIT {DiscoveryJson.MaxTables}",
                    database, cancellation);
                if (tables.Failure is not null) return Failed(tables.Failure, host, database);
                discovery["tables"] = DiscoveryJson.Objects(tables.Rows!.Select(row => new JsonObject
                {
                    ["database"] = database,
                    ["name"] = Text(row, "name"),
                    ["kind"] = Text(row, "engine") is { } engine && engine.EndsWith("View", StringComparison.Ordinal) ? "view" : "table",
                }));
            }
            return ProbeResult.Succeeded(Column(version.Rows!, "version").FirstOrDefault(), discovery.ToJsonString(), []);
        }
        catch (Http.AnswerTooLargeException)
        {
            return Http.AnswerTooLargeException.Result();
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException or JsonException or TaskCanceledException)
        {
            if (ex is JsonException)
                return ProbeResult.Failed(ProbeOutcome.Error, $"'{host}' did not answer like a ClickHouse server.");
            if (check.Mismatch is not null && !cancellation.IsCancellationRequested)
                return check.Failed();
            // HTTPS to a server that answers in plain HTTP fails in the handshake before any certificate.
            if (endpoint.Scheme == Uri.UriSchemeHttps && !check.Started && HttpFailures.Classify(ex, host, cancellation) is { Outcome: ProbeOutcome.TlsError })
                return ServerCertificateCheck.NotOffered(host, check.Tls.Mode);
            return HttpFailures.Classify(ex, host, cancellation);
        }
    }

    private static ProbeResult Failed(ClickHouseQueries.ErrorAnswer error, string host, string? database) =>
        ClickHouseFailures.Classify(error.Status, error.CodeHeader, error.Body, host, database);

    private static IEnumerable<string> Column(JsonArray rows, string name) => rows.Select(row => Text(row, name)).OfType<string>();

    private static string? Text(JsonNode? row, string name) => row?[name]?.GetValue<string>();
}
