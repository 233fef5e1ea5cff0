using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Postgres;

/// <summary>PostgreSQL mode: the same API, shared by two nodes that form one cluster, and kept across restarts.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ClusterTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Every_type_created_through_one_node_reads_back_through_the_other() =>
        await SourceAssertions.CreateEveryType(cluster.ClientA, cluster.ClientB);

    [Fact]
    public async Task Both_nodes_serve_one_copy_of_each_source()
    {
        var (a, b) = (cluster.ClientA, cluster.ClientB);
        var id = await a.CreateOk(SourceBodies.Valid("MSSQL"));
        (await b.Get(id)).Expect(200);

        // Were the nodes two separate clusters, each would keep its own copy in memory and the
        // other's changes would not show (or would fail as a stale write).
        (await b.Patch(id, new JsonObject { ["account_name"] = "Changed through B" })).Expect(200);
        Assert.Equal("Changed through B", (await a.Get(id)).View().AccountName);
        (await a.Patch(id, new JsonObject { ["account_name"] = "Changed through A" })).Expect(200);
        Assert.Equal("Changed through A", (await b.Get(id)).View().AccountName);
        Assert.Contains(id, (await b.ListAll()).Select(v => v.Id));

        (await b.Delete(id)).Expect(204);
        (await a.Get(id)).Problem(404);
        Assert.DoesNotContain(id, (await a.ListAll()).Select(v => v.Id));
    }

    [Fact]
    public async Task Sources_survive_a_restart_of_every_node()
    {
        var secret = "restart-password";
        var bodies = new[] { "POSTGRES", "BIGQUERY", "MCP" }.ToDictionary(t => t, t => SourceBodies.Valid(t, secret));
        var ids = new Dictionary<string, long>();
        foreach (var (type, body) in bodies)
            ids[type] = await cluster.ClientA.CreateOk(body);

        await cluster.RestartAllAsync();

        foreach (var (type, body) in bodies)
        {
            await SourceAssertions.ReadsBack(cluster.ClientB, ids[type], body, secret);
            // The stored secrets still open under the shared master key.
            (await cluster.ClientA.Patch(ids[type], new JsonObject { ["account_name"] = "After restart" })).Expect(200);
        }
    }
}
