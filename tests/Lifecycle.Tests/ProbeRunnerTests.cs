using Sources.TestServers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Network;
using Sources.Silo.Probing.Postgres;

namespace Sources.Lifecycle.Tests;

public sealed class ProbeRunnerTests
{
    private static ProbeRunner Runner(TimeSpan deadline, int concurrency = 16) => new(
        [new PostgresProber(new NetworkPolicy(new NetworkSettings { Allow = ["loopback"] }))],
        new ProbeSettings { Deadline = deadline, Concurrency = concurrency },
        TimeProvider.System,
        NullLogger<ProbeRunner>.Instance);

    private static JsonObject PostgresAt(int port, string password = "pw") => new()
    {
        ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = port,
        ["username"] = "u", ["password"] = password, ["database_name"] = "d",
    };

    [Fact]
    public async Task A_listener_that_never_answers_ends_at_the_deadline_as_a_timeout()
    {
        await using var silent = new SilentListener();
        var result = await Runner(TimeSpan.FromSeconds(1)).Run("POSTGRES", PostgresAt(silent.Port), new ProbeContext(1), [], default);
        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        Assert.True(silent.Accepted >= 1, "the probe should have reached the listener");
    }

    [Fact]
    public async Task No_more_probes_run_at_once_than_the_bound()
    {
        await using var silent = new SilentListener();
        var runner = Runner(TimeSpan.FromMilliseconds(700), concurrency: 2);
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => runner.Run("POSTGRES", PostgresAt(silent.Port), new ProbeContext(1), [], default)));
        Assert.All(results, r => Assert.Equal(ProbeOutcome.Timeout, r.Outcome));
        Assert.Equal(6, silent.Accepted);
        Assert.InRange(silent.MaxOpenAtOnce, 1, 2);
    }

    [Fact]
    public async Task A_closed_port_is_unreachable()
    {
        var port = Sources.TestServers.FreePort.Next();
        var result = await Runner(TimeSpan.FromSeconds(5)).Run("POSTGRES", PostgresAt(port), new ProbeContext(1), [], default);
        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
    }

    [Fact]
    public async Task A_denied_host_inside_a_connection_string_is_invalid_config_with_the_generic_message()
    {
        var settings = new JsonObject { ["type"] = "POSTGRES", ["connection_string"] = "Host=169.254.169.254;Username=u;Database=d" };
        var result = await Runner(TimeSpan.FromSeconds(5)).Run("POSTGRES", settings, new ProbeContext(1), [], default);
        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
        Assert.Equal(NetworkPolicy.DeniedMessage, result.Message);
    }

    [Fact]
    public async Task A_secret_never_reaches_the_message()
    {
        var settings = new JsonObject { ["type"] = "POSTGRES", ["connection_string"] = "Host=nohost-S3cretValue.invalid;Username=u;Password=S3cretValue;Database=d" };
        var result = await Runner(TimeSpan.FromSeconds(5)).Run("POSTGRES", settings, new ProbeContext(1), ["S3cretValue"], default);
        Assert.DoesNotContain("S3cretValue", result.Message);
    }

    [Fact]
    public async Task A_type_without_a_prober_is_unsupported()
    {
        var result = await Runner(TimeSpan.FromSeconds(1)).Run("NOSUCH", [], new ProbeContext(1), [], default);
        Assert.Equal(ProbeOutcome.Unsupported, result.Outcome);
    }
}
