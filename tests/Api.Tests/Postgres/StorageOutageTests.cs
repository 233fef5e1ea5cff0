using System.Net;
using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Postgres;

/// <summary>When PostgreSQL goes away, requests that need it answer 503 with Retry-After; when it returns, so does the service.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class StorageOutageTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Storage_unavailable_is_a_503_problem_with_retry_after_and_the_service_recovers()
    {
        var existing = await cluster.ClientA.CreateOk(SourceBodies.Valid("MYSQL"));
        (await cluster.ClientB.Get(existing)).Expect(200);
        await cluster.Server.StopAsync();
        try
        {
            // The source's one activation lives on one node, so through the other node this change
            // meets the storage failure in a grain on a remote silo.
            foreach (var client in new[] { cluster.ClientA, cluster.ClientB })
            {
                var change = await client.Patch(existing, new JsonObject { ["account_name"] = "During the outage" });
                change.Problem(503);
                Assert.True(change.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"no Retry-After: {change}");
                var create = await client.Create(SourceBodies.Valid("MYSQL"));
                create.Problem(503);
                Assert.True(create.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"no Retry-After: {create}");

                var ready = await client.Send(HttpMethod.Get, "/readyz");
                ready.Problem(503);
                Assert.NotNull(ready.Headers.RetryAfter);
            }
        }
        finally
        {
            await cluster.Server.StartAgainAsync();
        }

        foreach (var client in new[] { cluster.ClientA, cluster.ClientB })
            await UntilCreateSucceeds(client);
        (await cluster.ClientB.Get(existing)).Expect(200);
    }

    /// <summary>
    /// Creates until one succeeds: the first requests after the outage may still meet a connection
    /// the server closed. Each attempt must be a 201 or a 503, never anything else.
    /// </summary>
    private static async Task UntilCreateSucceeds(SourcesClient client)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var response = await client.Create(SourceBodies.Valid("FILE"));
            if (response.Status == (int)HttpStatusCode.Created) return;
            response.Problem(503);
            // Poll interval only; the service's answer decides.
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        Assert.Fail($"{client.Node.Name} did not recover after PostgreSQL came back");
    }
}
