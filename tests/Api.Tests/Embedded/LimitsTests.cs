using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;
using Sources.TestServers;

namespace Sources.Api.Tests.Embedded;

/// <summary>
/// What stops abuse at the edge, on a node of its own configured with tiny limits so each is
/// reached in a handful of requests: a value not shaped like a key is never looked up, an
/// unknown key is looked up once and never activates its grain, a limited request is a 429 problem with Retry-After, and an
/// account holds at most its quota of sources. The node is hosted in-process: its log lines are read
/// as it logs them.
/// </summary>
[Trait("Speed", "fast")]
public sealed class LimitsTests(LimitsTests.Node node) : IClassFixture<LimitsTests.Node>
{
    private const string LookupLine = "Key lookup: ";

    [Fact]
    public async Task A_value_not_shaped_like_a_key_is_refused_before_any_lookup_and_an_unknown_key_is_looked_up_once_without_its_grain()
    {
        var id = RandomNumberGenerator.GetHexString(12, lowercase: true);
        var secret = RandomNumberGenerator.GetHexString(43);
        var from = node.Service.Logs.Length;

        foreach (var wrongShape in new[]
        {
            $"sk_{id.ToUpperInvariant()}_{secret}",   // the id's hex must be lowercase
            $"sk_{id}x_{secret}",                     // 13 characters of id
            $"sk_{id}_{secret}%",                     // a character a key never holds
            "short-value",                            // an own value of fewer than 16 characters
            new string('a', 300),                     // longer than any key
        })
            (await node.Client.WithKey(wrongShape).List()).Problem(401);
        var unknown = node.Client.WithKey($"sk_{id}_{secret}");
        (await unknown.List()).Problem(401);
        (await unknown.List()).Problem(401);

        // The log is written in order, so once the unknown key's line is there, any line for the values before it is too.
        // It is read from storage once, never asked of a grain, and the second time answered from memory.
        var expected = $"{LookupLine}{id} read from storage, not live";
        await Poll.Until(() => node.Service.Logs[from..].Contains(expected, StringComparison.Ordinal) ? "written" : null,
            TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30), "the line of the unknown key's lookup");
        var lookups = node.Service.Logs[from..].Split('\n').Where(l => l.Contains(LookupLine, StringComparison.Ordinal));
        Assert.Equal([expected], lookups.Select(l => l[l.IndexOf(LookupLine, StringComparison.Ordinal)..].TrimEnd('\r')));
    }

    [Fact]
    public async Task A_key_over_its_limit_gets_a_429_problem_with_retry_after()
    {
        for (var i = 0; i < 2; i++)
            (await KeyPair()).Expect(201);

        var limited = await KeyPair();

        var problem = limited.Problem(429);
        Assert.Equal("https://sources.dev/problems/rate-limited", problem.Type);
        Assert.Equal("Too many requests.", problem.Title);
        // Two permits per hour: one comes back every 30 minutes.
        var retryAfter = Assert.IsType<TimeSpan>(limited.Headers.RetryAfter?.Delta);
        Assert.InRange(retryAfter.TotalSeconds, 1, 1800);
        Assert.Equal($"This key may make 2 key-pair requests per 1 h. Retry after {retryAfter.TotalSeconds:0} s.", problem.Detail);
        // Other operations keep their own budgets.
        (await node.Client.List()).Expect(200);
    }

    [Fact]
    public async Task An_account_holds_at_most_its_quota_of_sources()
    {
        var existing = (await node.Client.ListAll()).Count;
        var created = new List<long>();
        for (var i = existing; i < 3; i++)
            created.Add(await node.Client.CreateOk(SourceBodies.Valid("MONGODB")));

        var refused = (await node.Client.Create(SourceBodies.Valid("MONGODB"))).Problem(409);

        Assert.Equal("https://sources.dev/problems/quota-exceeded", refused.Type);
        Assert.Contains("at most 3 sources (Sources:Limits:SourcesPerAccount)", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(3, (await node.Client.ListAll()).Count);
        (await node.Client.Delete(created[^1])).Expect(204);
        await node.Client.CreateOk(SourceBodies.Valid("MONGODB"));
    }

    private Task<ApiResponse> KeyPair() =>
        node.Client.Send(HttpMethod.Post, SourcesClient.Root + "snowflake/key-pairs/", SourcesClient.Json(new JsonObject { ["user"] = "LOADER" }));

    public sealed class Node : IAsyncLifetime
    {
        public string Key { get; } = $"bootstrap-{Guid.NewGuid():N}";
        public InProcessNode Service { get; private set; } = null!;
        public SourcesClient Client => new(Service, Key, new Transcript());

        public Task InitializeAsync() => (Service = new InProcessNode(ServiceConfig.Embedded(Key) with
        {
            Settings = new Dictionary<string, string>
            {
                ["Sources__Limits__Window"] = "01:00:00",
                ["Sources__Limits__KeyPairs__PerKey"] = "2",
                ["Sources__Limits__KeyPairs__PerAccount"] = "3",
                ["Sources__Limits__SourcesPerAccount"] = "3",
                // Each key lookup (in storage or of a grain) is a line, so the test sees which values went past the shape check.
                ["Logging__LogLevel__Sources.Silo.Grains.Keys.ApiKeys"] = "Debug",
            },
        }, "limits")).StartAsync();

        public async Task DisposeAsync()
        {
            await Service.DisposeAsync();
            Directory.Delete(Service.Config.WorkingDirectory, recursive: true);
        }
    }
}
