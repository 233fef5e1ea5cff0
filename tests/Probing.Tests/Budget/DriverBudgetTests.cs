using System.Diagnostics;
using System.Text.Json.Nodes;
using Sources.Probing.Tests.Postgres;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.MongoDb;
using Sources.Silo.Probing.MsSql;
using Sources.Silo.Probing.MySql;
using Sources.Silo.Probing.Postgres;
using Sources.TestServers;

namespace Sources.Probing.Tests.Budget;

/// <summary>
/// Each SQL-ish driver ends a probe of a server that accepts and never answers by itself,
/// through its own timeouts taken from the probe's budget: no runner, and a token that is never
/// cancelled. The bound is the budget plus a margin for a loaded machine.
/// </summary>
public sealed class DriverBudgetTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(4);

    public static TheoryData<string> Types => ["POSTGRES", "MYSQL", "SINGLESTORE", "MSSQL", "MONGODB"];

    [Theory]
    [MemberData(nameof(Types))]
    public async Task A_silent_server_ends_the_probe_within_its_budget_without_cancellation(string type)
    {
        using var silent = new SilentListener();
        var (prober, settings) = For(type, silent.Port);

        var started = Stopwatch.GetTimestamp();
        var result = await prober.Probe(settings, Probes.Context with { Budget = Budget }, CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        Assert.InRange(elapsed, TimeSpan.Zero, Budget + Margin);
    }

    [Fact]
    public async Task A_postgres_server_that_never_answers_a_query_ends_the_probe_within_its_budget()
    {
        await using var server = FakePostgres.Plain(FakePostgres.Trust);

        var started = Stopwatch.GetTimestamp();
        var settings = Fields("POSTGRES", server.Port);
        // The fake server speaks no TLS.
        settings["ssl_mode"] = "disable";
        var result = await new PostgresProber(Probes.Loopback).Probe(settings, Probes.Context with { Budget = Budget }, CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);

        Assert.Single(server.Startups);
        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        Assert.InRange(elapsed, TimeSpan.Zero, Budget + Margin);
    }

    private static (IProber, JsonObject) For(string type, int port) => type switch
    {
        "POSTGRES" => (new PostgresProber(Probes.Loopback), Fields(type, port)),
        "MYSQL" => (new MySqlProber(Probes.Loopback), Fields(type, port)),
        "SINGLESTORE" => (new SingleStoreProber(Probes.Loopback), Fields(type, port)),
        "MSSQL" => (new MsSqlProber(Probes.Loopback), Fields(type, port)),
        // The driver's own budget is what is measured, so without the gate's TLS in front of it.
        "MONGODB" => (new MongoProber(Probes.Loopback), new JsonObject { ["type"] = type, ["connection_string"] = $"mongodb://reader:s3cret@localhost:{port}/app", ["ssl_mode"] = "disable" }),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static JsonObject Fields(string type, int port) => new()
    {
        ["type"] = type, ["hostname"] = "localhost", ["port"] = port, ["username"] = "reader", ["password"] = "s3cret", ["database_name"] = "app",
    };
}
