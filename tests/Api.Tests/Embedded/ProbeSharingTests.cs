using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;
using Sources.Contracts;
using Sources.TestServers;

namespace Sources.Api.Tests.Embedded;

/// <summary>
/// One node shared by two accounts, one of which has a thousand sources behind a firewall that
/// drops (a listener that accepts and never answers). The node has room for 100 probes at once
/// and 20 per account, so without shares the crowd would take all of it for the whole deadline:
/// the other account's checks would then answer that they could not start, and its new sources
/// would wait for the sweep. The node is hosted in-process; the keys command makes its two keys
/// before it starts.
/// </summary>
public sealed class ProbeSharingTests : IAsyncLifetime
{
    private const int BlackHoles = 1000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly ServiceConfig _config = ServiceConfig.Embedded(bootstrapKey: null) with
    {
        Settings = new Dictionary<string, string>
        {
            ["Sources__Probe__Deadline"] = "00:00:10",
            ["Sources__Probe__Concurrency"] = "100",
            ["Sources__Probe__PerAccount"] = "20",
        },
    };

    private readonly Transcript _transcript = new();
    private readonly SilentListener _blackHole = new();
    private PostgresServer _postgres = null!;
    private InProcessNode _node = null!;
    private SourcesClient _crowd = null!;
    private SourcesClient _other = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        // Embedded mode: keys are made with the node stopped, before its first start.
        var crowdKey = await KeysCli.CreateAsync(_config, "crowd");
        var otherKey = await KeysCli.CreateAsync(_config, "other");
        _node = new InProcessNode(_config, "sharing");
        await _node.StartAsync();
        _crowd = new SourcesClient(_node, crowdKey, _transcript);
        _other = new SourcesClient(_node, otherKey, _transcript);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _blackHole.DisposeAsync();
        await _postgres.DisposeAsync();
        Directory.Delete(_config.WorkingDirectory, recursive: true);
    }

    [Fact]
    public async Task Another_accounts_thousand_black_holes_neither_delay_a_test_nor_the_first_check_of_new_sources()
    {
        var holes = new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = _blackHole.Port,
            ["username"] = "u", ["password"] = "p", ["database_name"] = "d",
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, BlackHoles), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (_, _) => await _crowd.CreateOk(holes.DeepClone()));
        Assert.True(_blackHole.Accepted > 0, "the crowd's probes are running");

        // A quick source of the other account: its test answers with its own result.
        var closed = await _other.CreateOk(ClosedPort());
        var tested = (await _other.Test(closed)).As(b => ProbeResult.Parse(b));
        Assert.Equal("unreachable", tested.Outcome);

        // New sources of the other account get their first result from their first probe, well
        // before the sweep could have redone one that never started.
        var healthy = await _other.CreateOk(new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = _postgres.Port,
            ["username"] = "postgres", ["database_name"] = "postgres",
            // The suite's PostgreSQL speaks no TLS.
            ["ssl_mode"] = "disable",
        });
        var fresh = new List<long>();
        for (var i = 0; i < 20; i++)
            fresh.Add(await _other.CreateOk(ClosedPort()));

        Assert.Equal("healthy", (await _other.WhenChecked(healthy, Deadline * 2)).Status);
        foreach (var id in fresh)
            Assert.Equal("unreachable", (await _other.WhenChecked(id, Deadline * 2)).LastProbe!.Outcome);

        // The crowd waits within its share rather than being refused.
        var crowdPage = (await _crowd.List("?limit=1")).Page();
        Assert.Single(crowdPage.Items);
    }

    private static JsonObject ClosedPort() => new()
    {
        ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = FreePort.Next(),
        ["username"] = "u", ["password"] = "p", ["database_name"] = "d",
    };
}
