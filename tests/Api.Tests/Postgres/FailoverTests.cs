using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Sources.Api.Tests.Infrastructure;
using Sources.Silo.Hosting;
using Sources.TestServers;

namespace Sources.Api.Tests.Postgres;

/// <summary>
/// Three nodes on one PostgreSQL; one is killed outright (kill -9). Through the other two, a create
/// succeeds and every source that node held reads back, within the documented bound
/// (<see cref="ClusterFailoverSettings.LostNodeRetry"/>, docs/cluster.md), and whatever is refused
/// on the way says that a node was lost.
/// </summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private const int SourcesOnVictim = 20;

    private readonly string _key = $"bootstrap-{Guid.NewGuid():N}";
    private readonly string _masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly Transcript _transcript = new();
    private readonly TestCertificates _authority = TestCertificates.NewAuthority();
    private readonly string _certificates = Directory.CreateTempSubdirectory("sources-failover-tls-").FullName;
    private PostgresServer? _server;
    private ServiceProcess[] _nodes = [];

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        var database = await _server.CreateDatabaseAsync();
        _authority.WriteAuthority(_certificates);
        _nodes = await Task.WhenAll(new[] { "node A", "node B", "node C" }.Select(name =>
            ServiceProcess.StartAsync(PostgresCluster.NodeConfig(_authority, _certificates, database, _masterKey, _key, name), name)));
    }

    [Fact]
    public async Task After_a_node_is_killed_a_create_succeeds_and_its_sources_read_back_through_the_others()
    {
        var (a, b, victim) = (Client(_nodes[0]), Client(_nodes[1]), _nodes[2]);
        // Created through the victim, so that its grains (and their directory entries) are spread
        // over the nodes with the victim's share at least: some of them live on the node killed.
        var bodies = Enumerable.Range(0, SourcesOnVictim).Select(_ => SourceBodies.Valid("MSSQL")).ToList();
        var ids = new List<long>();
        foreach (var body in bodies)
            ids.Add(await Client(victim).CreateOk(body));
        foreach (var id in ids)
            (await a.Get(id)).Expect(200);

        await victim.KillAsync();
        var budget = new ClusterFailoverSettings().LostNodeRetry;
        var since = Stopwatch.StartNew();

        var body2 = SourceBodies.Valid("MYSQL");
        var created = (await UntilAnswered(() => a.Create(body2), since, budget)).CreatedId();
        SourceAssertions.ShowsBody((await UntilAnswered(() => b.Get(created), since, budget)).View(), body2, created);
        for (var i = 0; i < ids.Count; i++)
            SourceAssertions.ShowsBody((await UntilAnswered(() => (i % 2 == 0 ? a : b).Get(ids[i]), since, budget)).View(), bodies[i], ids[i]);
    }

    /// <summary>
    /// Sends until an answer other than 503 comes, as a client with a retry budget would; each 503 on
    /// the way must name the lost node and say when to retry. The budget is the documented bound.
    /// </summary>
    private static async Task<ApiResponse> UntilAnswered(Func<Task<ApiResponse>> send, Stopwatch since, TimeSpan budget)
    {
        while (true)
        {
            var response = await send();
            if (response.Status != (int)HttpStatusCode.ServiceUnavailable)
                return response;
            var problem = response.Problem(503);
            Assert.Equal("https://sources.dev/problems/node-lost", problem.Type);
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"no Retry-After: {response}");
            Assert.True(since.Elapsed < budget, $"still refused {since.Elapsed.TotalSeconds:0.0} s after the kill, past the documented {budget.TotalSeconds:0} s: {response}");
            // Poll interval only: the service's answer decides.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private SourcesClient Client(ServiceProcess node) => new(node, _key, _transcript);

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
            Directory.Delete(node.Config.WorkingDirectory, recursive: true);
        }
        if (_server is not null)
            await _server.DisposeAsync();
        Directory.Delete(_certificates, recursive: true);
        _authority.Dispose();
    }
}
