using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Sources.Api.Tests.Infrastructure;
using Sources.TestServers;

namespace Sources.Api.Tests.Embedded;

/// <summary>
/// Embedded mode's node listens on loopback, where every local user can connect. Its API calls
/// the grains in-process, so nothing there may let another process call them. The node is hosted in
/// the test process, whose co-hosted silo listens on real loopback ports as a child's does; the
/// tests reach them over sockets, as another local process would.
/// </summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class TransportTests(InProcessService service)
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task No_gateway_listens()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, service.Node.Ports.Gateway));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_bare_client_cannot_call_a_grain_through_either_port()
    {
        foreach (var port in new[] { service.Node.Ports.Gateway, service.Node.Ports.Silo })
        {
            var (keys, failure) = await BareClient.ListKeysAsync(new IPEndPoint(IPAddress.Loopback, port), BareClient.Transport.Plain);
            Refused(keys, failure);
        }
    }

    [Fact]
    public async Task The_silo_port_speaks_TLS_and_refuses_a_certificate_it_did_not_make()
    {
        using var intruder = TestCertificates.SelfSigned("sources-embedded");
        var (served, refused) = await HandshakeAsync(intruder);
        // The port is TLS (the node presented its own certificate), so what follows is its refusal.
        Assert.Equal("CN=sources-embedded", served);
        Assert.True(refused, "the silo port went on with a peer whose certificate it did not make");
    }

    [Fact]
    public async Task The_silo_port_refuses_a_peer_without_a_certificate()
    {
        var (served, refused) = await HandshakeAsync(null);
        Assert.Equal("CN=sources-embedded", served);
        Assert.True(refused, "the silo port went on with a peer that presented no certificate");
    }

    /// <summary>A TLS handshake on the silo port, then one read: the subject the node presented,
    /// and whether it ended the connection (TLS 1.3 reports a refused client certificate only
    /// after the client's side of the handshake is done).</summary>
    private async Task<(string? Served, bool Refused)> HandshakeAsync(X509Certificate2? clientCertificate)
    {
        string? served = null;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, service.Node.Ports.Silo);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        using var limit = new CancellationTokenSource(AnswerLimit);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    served = certificate?.Subject;
                    return true;
                },
            }, limit.Token);
            return (served, await tls.ReadAsync(new byte[1], limit.Token) == 0);
        }
        catch (Exception e) when (e is IOException or AuthenticationException)
        {
            return (served, true);
        }
        catch (OperationCanceledException)
        {
            // Neither refused nor answered within the limit: the node kept the connection open.
            return (served, false);
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
