using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.ClickHouse;
using Sources.TestServers;

namespace Sources.Probing.Tests.ClickHouse;

/// <summary>
/// CLICKHOUSE over HTTPS with ssl_mode and ssl_ca, against a TLS listener presenting a certificate
/// for "localhost" from a CA the test makes (the suite's ClickHouse 18.16 serves plain HTTP only):
/// the right CA gets past the handshake (the listener then hangs up, which is no TLS failure);
/// another CA, or the listener reached by 127.0.0.1, is a tls_error saying what did not match.
/// </summary>
public sealed class ClickHouseTlsTests
{
    private static readonly ClickHouseProber Prober = new(Probes.Loopback);

    private static JsonObject Settings(int port, string mode, string? authority, string host = ServerTls.HostName)
    {
        var settings = ClickHouseSettings.For(port, host: host);
        settings["ssl_mode"] = mode;
        if (authority is not null) settings["ssl_ca"] = authority;
        return settings;
    }

    private static async Task<ProbeResult> Probe(Func<ServerTls, JsonObject> settings, ServerTls presented, ServerTls given)
    {
        await using var listener = UntrustedTlsListener.Start(Usable(presented));
        var source = settings(given);
        source["port"] = listener.Port;
        Assert.Empty(Prober.Check(source));
        return await Prober.Probe(source, Probes.Context, CancellationToken.None);
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 Usable(ServerTls tls) =>
        System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
            tls.Certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);

    [Fact]
    public async Task The_server_s_CA_gets_past_the_handshake()
    {
        using var tls = ServerTls.Create();

        var result = await Probe(t => Settings(0, "verify-full", t.AuthorityPem), tls, tls);

        Assert.NotEqual(ProbeOutcome.TlsError, result.Outcome);
        Assert.DoesNotContain("TLS", result.Message);
    }

    [Fact]
    public async Task Another_CA_is_a_tls_error_naming_the_unknown_CA()
    {
        using var tls = ServerTls.Create();
        using var other = ServerTls.Create("sources test other CA");

        var result = await Probe(t => Settings(0, "verify-full", t.AuthorityPem), tls, other);

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("not signed by a CA in ssl_ca", result.Message);
    }

    [Fact]
    public async Task A_host_name_the_certificate_does_not_hold_is_a_tls_error_naming_the_mismatch()
    {
        using var tls = ServerTls.Create();

        var result = await Probe(t => Settings(0, "verify-full", t.AuthorityPem, host: "127.0.0.1"), tls, tls);

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("does not name '127.0.0.1'", result.Message);
    }

    [Fact]
    public async Task Require_takes_a_certificate_nobody_trusts()
    {
        using var tls = ServerTls.Create();
        using var other = ServerTls.Create("sources test other CA");

        var result = await Probe(_ => Settings(0, "require", null, host: "127.0.0.1"), tls, other);

        Assert.NotEqual(ProbeOutcome.TlsError, result.Outcome);
        Assert.DoesNotContain("TLS", result.Message);
    }

    [Theory]
    [InlineData("require")]
    [InlineData("verify-full")]
    public async Task A_mode_that_needs_TLS_against_a_plain_HTTP_server_is_a_tls_error_saying_so(string mode)
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        // A plain HTTP server that answers at once, whatever it was sent.
        var answering = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await socket.SendAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });

        var result = await Prober.Probe(Settings(((System.Net.IPEndPoint)listener.LocalEndpoint).Port, mode, null), Probes.Context, CancellationToken.None);
        await answering;

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("does not offer TLS", result.Message);
    }
}
