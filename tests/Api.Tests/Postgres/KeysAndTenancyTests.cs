using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Postgres;

/// <summary>Keys made with the CLI while the cluster runs: accounts never see each other's sources; a revoked key stops at once everywhere.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class KeysAndTenancyTests(PostgresCluster cluster)
{
    [Fact]
    public Task Another_account_gets_404_never_403_for_a_source_and_sees_an_empty_list() => cluster.WithNodeLogs(async () =>
    {
        var body = SourceBodies.Valid("POSTGRES");
        var idempotencyKey = Guid.NewGuid().ToString();
        var created = await cluster.ClientA.Create(body, idempotencyKey);
        var id = created.CreatedId();
        var otherKey = await KeysCli.CreateAsync(cluster.CliConfig, $"other-{Guid.NewGuid():N}");

        foreach (var node in cluster.Nodes)
        {
            var other = cluster.ClientA.Through(node).WithKey(otherKey);
            (await other.Get(id)).Problem(404);
            (await other.Patch(id, new JsonObject { ["account_name"] = "Taken over" })).Problem(404);
            (await other.UpdateConfig(id, body)).Problem(404);
            (await other.Delete(id)).Problem(404);
            Assert.Empty(await other.ListAll());
            Assert.Empty(await other.ListAll("&type=POSTGRES"));
        }

        var mine = (await cluster.ClientB.Get(id)).View();
        SourceAssertions.ShowsBody(mine, body, id);
        // An Idempotency-Key belongs to its account: the other account's create is its own.
        var theirs = await cluster.ClientA.WithKey(otherKey).Create(body, idempotencyKey);
        Assert.NotEqual(id, theirs.CreatedId());
        Assert.Equal(id, (await cluster.ClientA.Create(body, idempotencyKey)).CreatedId());
    });

    [Fact]
    public Task A_key_revoked_with_the_cli_is_a_401_on_every_node_at_once() => cluster.WithNodeLogs(async () =>
    {
        var config = cluster.CliConfig;
        var key = await KeysCli.CreateAsync(config, $"revoked-{Guid.NewGuid():N}");
        foreach (var node in cluster.Nodes)
            (await cluster.ClientA.Through(node).WithKey(key).List()).Expect(200);

        await KeysCli.RevokeAsync(config, key);

        foreach (var node in cluster.Nodes)
        {
            var refused = await cluster.ClientA.Through(node).WithKey(key).List();
            refused.Problem(401);
            Assert.Equal("Bearer", Assert.Single(refused.Headers.WwwAuthenticate).Scheme);
            (await cluster.ClientA.Through(node).List()).Expect(200);
        }
    });
}
