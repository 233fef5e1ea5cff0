using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;
using Sources.Contracts;

namespace Sources.Api.Tests.Secrets;

/// <summary>
/// A master key rotation taken to its end on a real embedded node: every type of source created
/// under key A, the node restarted with key B and A as previous, <c>secrets reseal</c> run with
/// the node stopped, and the node started with B alone: every source's secrets still open (a
/// PATCH unseals and reseals them), and a Snowflake key pair made under A still serves a create.
/// </summary>
public sealed class ResealCommandTests
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task After_secrets_reseal_the_node_runs_on_the_new_master_key_alone()
    {
        var (keyA, keyB) = (NewKey(), NewKey());
        var underA = ServiceConfig.Embedded($"bootstrap-{Guid.NewGuid():N}") with
        {
            MasterKey = keyA,
            // Checks that never finish keep every source pending: this test is about what is stored.
            Settings = new Dictionary<string, string> { ["Sources__Probe__Deadline"] = "00:10:00" },
        };
        var rotated = underA with { MasterKey = keyB, Settings = new Dictionary<string, string>(underA.Settings) { ["Sources__PreviousMasterKeys__0"] = keyA } };
        var underB = underA with { MasterKey = keyB };
        var transcript = new Transcript();
        try
        {
            Dictionary<string, long> ids;
            string publicKey;
            await using (var node = await ServiceProcess.StartAsync(underA, "under A"))
            {
                var api = new SourcesClient(node, underA.BootstrapKey, transcript);
                ids = await SourceAssertions.CreateEveryType(api, api);
                publicKey = (await api.Send(HttpMethod.Post, SourcesClient.Root + "snowflake/key-pairs/")).As(b => SnowflakeKeyPairResponse.Parse(b), 201).PublicKey;
            }

            var (exitCode, stdout, stderr) = await KeysCli.CommandAsync(rotated, "secrets", "reseal");
            Assert.True(exitCode == 0, $"secrets reseal exited with {exitCode}:\n{stdout}\n{stderr}");
            Assert.StartsWith($"resealed {ids.Count} sources and ", stdout, StringComparison.Ordinal);
            var again = await KeysCli.CommandAsync(rotated, "secrets", "reseal");
            Assert.StartsWith("resealed 0 sources and 0 key pairs", again.Stdout, StringComparison.Ordinal);

            await using (var node = await ServiceProcess.StartAsync(underB, "under B alone"))
            {
                var api = new SourcesClient(node, underB.BootstrapKey, transcript);
                foreach (var (type, id) in ids)
                    (await api.Patch(id, new JsonObject { ["account_name"] = $"{type} after the rotation" })).Expect(200);
                var body = new JsonObject { ["type"] = "SNOWFLAKE", ["account"] = "xy12345.us-east-1", ["user"] = "LOADER", ["warehouse"] = "COMPUTE_WH", ["public_key"] = publicKey };
                (await api.Create(body)).Expect(201);
            }
        }
        finally
        {
            Directory.Delete(underA.WorkingDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Without_the_reseal_the_new_key_alone_cannot_open_them()
    {
        // The control for the test above: the PATCH that proves the secrets open does fail when they do not.
        var underA = ServiceConfig.Embedded($"bootstrap-{Guid.NewGuid():N}") with
        {
            MasterKey = NewKey(),
            Settings = new Dictionary<string, string> { ["Sources__Probe__Deadline"] = "00:10:00" },
        };
        var transcript = new Transcript();
        try
        {
            long id;
            await using (var node = await ServiceProcess.StartAsync(underA, "under A"))
                id = (await new SourcesClient(node, underA.BootstrapKey, transcript).Create(SourceBodies.Valid("POSTGRES"))).CreatedId();

            await using var other = await ServiceProcess.StartAsync(underA with { MasterKey = NewKey() }, "under B alone");
            var response = await new SourcesClient(other, underA.BootstrapKey, transcript).Patch(id, new JsonObject { ["account_name"] = "x" });
            Assert.NotEqual(200, response.Status);
        }
        finally
        {
            Directory.Delete(underA.WorkingDirectory, recursive: true);
        }
    }
}
