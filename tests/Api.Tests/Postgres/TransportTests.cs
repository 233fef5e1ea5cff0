using System.Net;
using System.Net.Sockets;
using Sources.Api.Tests.Infrastructure;
using Sources.TestServers;

namespace Sources.Api.Tests.Postgres;

/// <summary>
/// Grains trust the account their caller names, so the gateway must serve only the cluster's own
/// processes: a client proves itself with a certificate the cluster's CA signed.
/// </summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class TransportTests(PostgresCluster cluster)
{
    private IPEndPoint Gateway => new(IPAddress.Loopback, cluster.NodeA.Ports.Gateway);

    [Fact]
    public async Task The_ports_listen_on_the_advertised_address_only()
    {
        // 127.0.0.2 is this machine too: a listener on every interface would answer there.
        foreach (var port in new[] { cluster.NodeA.Ports.Silo, cluster.NodeA.Ports.Gateway })
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Parse("127.0.0.2"), port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }

    [Fact]
    public async Task A_client_without_TLS_cannot_call_a_grain()
    {
        var (keys, failure) = await BareClient.ListKeysAsync(Gateway, BareClient.Transport.Plain);
        Refused(keys, failure);
    }

    [Fact]
    public async Task A_client_with_TLS_but_no_certificate_cannot_call_a_grain()
    {
        var (keys, failure) = await BareClient.ListKeysAsync(Gateway, BareClient.Transport.TlsWithoutCertificate);
        Refused(keys, failure);
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_another_CA_cannot_call_a_grain()
    {
        using var other = TestCertificates.NewAuthority("another CA");
        using var certificate = other.Issue("intruder");
        var (keys, failure) = await BareClient.ListKeysAsync(Gateway, BareClient.Transport.TlsWith(certificate));
        Refused(keys, failure);
    }

    [Fact]
    public async Task A_self_signed_copy_of_a_node_name_cannot_call_a_grain()
    {
        using var certificate = TestCertificates.SelfSigned("node A");
        var (keys, failure) = await BareClient.ListKeysAsync(Gateway, BareClient.Transport.TlsWith(certificate));
        Refused(keys, failure);
    }

    [Fact]
    public async Task A_client_with_a_certificate_of_the_cluster_CA_can()
    {
        using var certificate = cluster.Certificates.Issue("operator tool");
        var (keys, failure) = await BareClient.ListKeysAsync(Gateway, BareClient.Transport.TlsWith(certificate));
        Assert.Null(failure);
        Assert.NotNull(keys);
        Assert.Contains(keys, key => key.Account == "default");
    }

    [Fact]
    public async Task The_keys_command_whose_certificate_the_cluster_refuses_gives_up_naming_the_setting()
    {
        var folder = Directory.CreateTempSubdirectory("sources-keys-intruder-").FullName;
        try
        {
            // It trusts its own CA, so it starts; the nodes, which trust only theirs, refuse it.
            using var other = TestCertificates.NewAuthority("another CA");
            using var certificate = other.Issue("intruder");
            var (certificatePath, keyPath) = TestCertificates.WritePem(certificate, folder, "intruder");
            var config = cluster.CliConfig with
            {
                WorkingDirectory = folder,
                Settings = new Dictionary<string, string>(cluster.CliConfig.Settings)
                {
                    ["Sources__Cluster__Certificate"] = certificatePath,
                    ["Sources__Cluster__CertificateKey"] = keyPath,
                    ["Sources__Cluster__CertificateAuthority"] = other.WriteAuthority(folder),
                },
            };
            var (exitCode, stdout, stderr) = await KeysCli.RunToEndAsync(config, "create", "--account", "intruder");
            Assert.Equal(1, exitCode);
            Assert.Empty(stdout.Trim());
            Assert.Contains("no node of the cluster accepted this client", stderr, StringComparison.Ordinal);
            Assert.Contains("Sources:Cluster:Certificate", stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The node turned the client away: no keys, and a refusal rather than silence.</summary>
    private static void Refused(object? keys, Exception? failure)
    {
        Assert.Null(keys);
        Assert.NotNull(failure);
        Assert.IsNotType<TimeoutException>(failure);
    }
}
