using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Network;
using Sources.Silo.Probing.Postgres;
using Sources.Silo.Scheduling;
using Sources.TestServers;

namespace Sources.Lifecycle.Tests.Scheduling;

/// <summary>The scheduler with the real PostgreSQL prober against real sockets, on the real clock.</summary>
public sealed class ProbingSocketsTests
{
    private static ProbeScheduler Scheduler(TimeSpan deadline, int capacity = 64)
    {
        var settings = new ProbeSettings { Deadline = deadline, Concurrency = capacity };
        var runner = new ProbeRunner([new PostgresProber(new NetworkPolicy(new NetworkSettings { Allow = ["loopback"] }))], settings, NullLogger<ProbeRunner>.Instance);
        return new ProbeScheduler(runner, settings, TimeProvider.System, NullLogger<ProbeScheduler>.Instance);
    }

    private static JsonObject PostgresAt(int port, string password = "pw") => new()
    {
        ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = port,
        ["username"] = "u", ["password"] = password, ["database_name"] = "d",
    };

    private static async Task<ProbeResult> Probe(ProbeScheduler scheduler, JsonObject settings, string type = "POSTGRES", string account = "a", IReadOnlyCollection<string>? secrets = null) =>
        (await scheduler.Schedule(new ProbeRequest(account, 1, type, settings, secrets ?? []), ProbeLane.Interactive).Result).Result;

    [Fact]
    public async Task A_listener_that_never_answers_ends_at_the_deadline_as_a_timeout()
    {
        await using var silent = new SilentListener();
        var result = await Probe(Scheduler(TimeSpan.FromSeconds(2)), PostgresAt(silent.Port));
        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        // The listener counts a connection once its accept loop gets to it, which may trail the answer.
        await Poll.Until(() => silent.Accepted >= 1 ? "reached" : null, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10), "the probe to reach the listener");
    }

    [Fact]
    public async Task A_closed_port_answers_at_once_behind_a_hundred_black_holes_of_another_account()
    {
        await using var silent = new SilentListener();
        var scheduler = Scheduler(TimeSpan.FromSeconds(5), capacity: 64);
        var holes = Enumerable.Range(0, 100)
            .Select(_ => scheduler.Schedule(new ProbeRequest("crowd", 2, "POSTGRES", PostgresAt(silent.Port), []), ProbeLane.Interactive))
            .ToList();

        var quick = await Probe(scheduler, PostgresAt(FreePort.Next()), account: "other");
        Assert.Equal(ProbeOutcome.Unreachable, quick.Outcome);
        Assert.All(holes, h => Assert.False(h.Result.IsCompleted, "the black holes are still waiting or running"));
        Assert.True(scheduler.Waiting(ProbeLane.Interactive) > 0, "the crowd waits beyond its share");
    }

    [Fact]
    public async Task A_closed_port_is_unreachable()
    {
        var result = await Probe(Scheduler(TimeSpan.FromSeconds(5)), PostgresAt(FreePort.Next()));
        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
    }

    [Fact]
    public async Task A_denied_host_inside_a_connection_string_is_invalid_config_with_the_generic_message()
    {
        var settings = new JsonObject { ["type"] = "POSTGRES", ["connection_string"] = "Host=169.254.169.254;Username=u;Database=d" };
        var result = await Probe(Scheduler(TimeSpan.FromSeconds(5)), settings);
        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
        Assert.Equal(NetworkPolicy.DeniedMessage, result.Message);
    }

    [Fact]
    public async Task A_secret_never_reaches_the_message()
    {
        var settings = new JsonObject { ["type"] = "POSTGRES", ["connection_string"] = "Host=nohost-S3cretValue.invalid;Username=u;Password=S3cretValue;Database=d" };
        var result = await Probe(Scheduler(TimeSpan.FromSeconds(5)), settings, secrets: ["S3cretValue"]);
        Assert.DoesNotContain("S3cretValue", result.Message);
    }

    [Fact]
    public async Task A_type_without_a_prober_is_unsupported()
    {
        var result = await Probe(Scheduler(TimeSpan.FromSeconds(1)), [], type: "NOSUCH");
        Assert.Equal(ProbeOutcome.Unsupported, result.Outcome);
    }
}
