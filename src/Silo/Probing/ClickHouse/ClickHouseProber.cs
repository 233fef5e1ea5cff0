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
            var databaseNames = DiscoveryJson.Strings(Column(databases.Rows!, "name").Where(d => !SystemDatabases.Contains(d, StringComparer.Ordinal)));
            List<TableRow> tables = [];
            List<ColumnRow> columns = [];
            if (database is not null)
            {
                var listed = await client.Rows(
                    $"SELECT name, engine FROM system.tables WHERE database = currentDatabase() ORDER BY name LIMIT {DiscoveryJson.MaxTables}",
                    database, cancellation);
                if (listed.Failure is not null) return Failed(listed.Failure, host, database);
                tables = listed.Rows!.Select(row => new TableRow(database, null, Text(row, "name") ?? "",
                    Text(row, "engine") is { } engine && engine.EndsWith("View", StringComparison.Ordinal) ? "view" : "table")).ToList();
                var described = await client.Rows(ColumnsSql, database, cancellation);
                if (described.Failure is not null) return Failed(described.Failure, host, database);
                columns = described.Rows!.Select(row => ColumnOf(row, database)).ToList();
            }
            var discovery = DiscoveredTables.Discovery([new("databases", databaseNames)], tables, columns);
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

    /// <summary>
    /// Every column of the database in one query. No ORDER BY: ClickHouse before 21 has no
    /// <c>position</c> column, and system.columns lists each table's columns in their order; the
    /// prober groups them under the tables, which are ordered. ClickHouse has no primary key
    /// constraint; <c>is_in_primary_key</c> is the MergeTree key the table is sorted by.
    /// </summary>
    internal static readonly string ColumnsSql =
        $"SELECT table, name, type, is_in_primary_key FROM system.columns WHERE database = currentDatabase() LIMIT {DiscoveredTables.ColumnQueryLimit}";

    /// <summary>A column row of <see cref="ColumnsSql"/>: nullable when its type is Nullable(…), inside LowCardinality or not.</summary>
    internal static ColumnRow ColumnOf(JsonNode? row, string database)
    {
        var type = Text(row, "type") ?? "";
        var nullable = type.StartsWith("Nullable(", StringComparison.Ordinal) || type.StartsWith("LowCardinality(Nullable(", StringComparison.Ordinal);
        var key = row?["is_in_primary_key"] is JsonValue flag && (flag.TryGetValue<int>(out var number) ? number != 0 : flag.TryGetValue<string>(out var text) && text == "1");
        return new ColumnRow(database, null, Text(row, "table") ?? "", Text(row, "name") ?? "", type, nullable, key);
    }

    private static ProbeResult Failed(ClickHouseQueries.ErrorAnswer error, string host, string? database) =>
        ClickHouseFailures.Classify(error.Status, error.CodeHeader, error.Body, host, database);

    private static IEnumerable<string> Column(JsonArray rows, string name) => rows.Select(row => Text(row, name)).OfType<string>();

    private static string? Text(JsonNode? row, string name) => row?[name]?.GetValue<string>();
}
