using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.ClickHouse;
using Sources.TestServers;
using RelationalDiscovery = Sources.Contracts.RelationalDiscovery;

namespace Sources.Probing.Tests.ClickHouse;

/// <summary>CLICKHOUSE against a real clickhouse-server the test run starts, over its HTTP interface.</summary>
public sealed class ClickHouseProberTests(ClickHouseServer server) : IClassFixture<ClickHouseServer>
{
    private static readonly ClickHouseProber Prober = new(Probes.Loopback);

    [Fact]
    public async Task Disable_speaks_plain_HTTP_on_any_port()
    {
        var settings = ClickHouseSettings.For(server.HttpPort);
        settings["ssl_mode"] = "disable";

        Assert.Equal(ProbeOutcome.Ok, (await Prober.Probe(settings, Probes.Context, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Healthy_server_reports_its_version_databases_and_the_tables_of_the_database()
    {
        await server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS analytics");
        await server.ExecuteAsync("CREATE TABLE IF NOT EXISTS analytics.events (id UInt64, name String) ENGINE = Memory");
        await server.ExecuteAsync("CREATE VIEW IF NOT EXISTS analytics.named AS SELECT name FROM analytics.events");

        var result = await Prober.Probe(ClickHouseSettings.For(server.HttpPort, database: "analytics"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Matches(@"^\d+\.\d+", result.ServerVersion);
        var databases = ProbeResults.Strings(result, "databases");
        Assert.Contains("analytics", databases);
        Assert.Contains("default", databases);
        Assert.DoesNotContain("system", databases);
        Assert.Equal([("events", "table"), ("named", "view")], ProbeResults.Tables(result));
    }

    [Fact]
    public async Task Without_a_database_it_lists_databases_only()
    {
        var result = await Prober.Probe(ClickHouseSettings.For(server.HttpPort), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Empty(JsonNode.Parse(result.DiscoveryJson!)!["tables"]!.AsArray());
    }

    [Fact]
    public async Task Wrong_password_is_auth_failed()
    {
        var result = await Prober.Probe(ClickHouseSettings.For(server.HttpPort, password: "not-the-password"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
    }

    [Fact]
    public async Task Unknown_database_is_not_found()
    {
        var result = await Prober.Probe(ClickHouseSettings.For(server.HttpPort, database: "no_such_db"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.NotFound, result.Outcome);
        Assert.Contains("no_such_db", result.Message);
    }

    [Fact]
    public async Task User_kept_out_of_the_database_is_permission_denied()
    {
        var settings = ClickHouseSettings.For(server.HttpPort, database: "default", user: ClickHouseServer.NarrowUser, password: ClickHouseServer.NarrowPassword);

        var result = await Prober.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.PermissionDenied, result.Outcome);
    }

    [Fact]
    public async Task A_table_lists_its_columns_with_nullable_types_and_its_sorting_key_as_primary_key()
    {
        await server.ExecuteAsync("CREATE DATABASE IF NOT EXISTS crm");
        await server.ExecuteAsync("CREATE TABLE IF NOT EXISTS crm.people (id UInt64, code String, name Nullable(String)) ENGINE = MergeTree() ORDER BY (id, code)");

        var result = await new ClickHouseProber(Probes.Loopback).Probe(ClickHouseSettings.For(server.HttpPort, database: "crm"), Probes.Context, CancellationToken.None);

        var discovery = DiscoveryAnswers.Read<RelationalDiscovery>(result);
        Assert.Equal(
            [("id", "UInt64", false, true), ("code", "String", false, true), ("name", "Nullable(String)", true, false)],
            DiscoveryAnswers.Columns(discovery, "people"));
    }
}
