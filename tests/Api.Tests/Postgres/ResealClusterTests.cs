using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;
using Sources.TestServers;

namespace Sources.Api.Tests.Postgres;

/// <summary>
/// <c>secrets reseal</c> in postgres mode, against a running node: the command joins as a client
/// and rewrites the rows itself, and a source whose grain was active (holding the row as it was
/// before the reseal) still takes a PATCH afterwards; then the node restarted with the new key
/// alone opens every source.
/// </summary>
public sealed class ResealClusterTests
{
    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public async Task A_reseal_beside_a_running_node_loses_no_write_and_retires_the_old_key()
    {
        await using var server = await PostgresServer.StartAsync();
        var (keyA, keyB) = (NewKey(), NewKey());
        // The cluster's transport: one certificate of the cluster's CA, for the node and for the command.
        using var certificates = TestCertificates.NewAuthority();
        var tls = Directory.CreateTempSubdirectory("sources-reseal-tls-").FullName;
        certificates.WriteAuthority(tls);
        string certificatePath, keyPath;
        using (var certificate = certificates.Issue("node"))
            (certificatePath, keyPath) = TestCertificates.WritePem(certificate, tls, "node");
        var underA = ServiceConfig.Postgres(await server.CreateDatabaseAsync(), keyA, $"bootstrap-{Guid.NewGuid():N}") with
        {
            Settings = new Dictionary<string, string>
            {
                ["Sources__Probe__Deadline"] = "00:10:00",
                ["Sources__Cluster__Certificate"] = certificatePath,
                ["Sources__Cluster__CertificateKey"] = keyPath,
                ["Sources__Cluster__CertificateAuthority"] = Path.Combine(tls, "cluster-ca.pem"),
            },
        };
        var rotated = underA with { MasterKey = keyB, Settings = new Dictionary<string, string>(underA.Settings) { ["Sources__PreviousMasterKeys__0"] = keyA } };
        var transcript = new Transcript();
        try
        {
            Dictionary<string, long> ids;
            await using (var node = await ServiceProcess.StartAsync(underA, "under A"))
                ids = await SourceAssertions.CreateEveryType(new SourcesClient(node, underA.BootstrapKey, transcript), new SourcesClient(node, underA.BootstrapKey, transcript));

            await using (var node = await ServiceProcess.StartAsync(rotated, "B with A as previous"))
            {
                var api = new SourcesClient(node, underA.BootstrapKey, transcript);
                // Every grain active (a get loads its row), each holding its row as read before the reseal.
                foreach (var id in ids.Values)
                    (await api.Get(id)).Expect(200);

                var (exitCode, stdout, stderr) = await KeysCli.CommandAsync(rotated, "secrets", "reseal");
                Assert.True(exitCode == 0, $"secrets reseal exited with {exitCode}:\n{stdout}\n{stderr}");
                Assert.StartsWith($"resealed {ids.Count} sources", stdout, StringComparison.Ordinal);

                foreach (var id in ids.Values)
                    (await api.Patch(id, new JsonObject { ["account_name"] = "after the reseal" })).Expect(200);
            }

            await using (var node = await ServiceProcess.StartAsync(underA with { MasterKey = keyB }, "B alone"))
            {
                var api = new SourcesClient(node, underA.BootstrapKey, transcript);
                foreach (var id in ids.Values)
                {
                    Assert.Equal("after the reseal", (await api.Get(id)).View().AccountName);
                    (await api.Patch(id, new JsonObject { ["account_name"] = "on B alone" })).Expect(200);
                }
            }
        }
        finally
        {
            Directory.Delete(underA.WorkingDirectory, recursive: true);
            Directory.Delete(tls, recursive: true);
        }
    }
}
