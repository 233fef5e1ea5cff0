using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.MsSql;
using Sources.TestServers;

namespace Sources.Probing.Tests.MsSql;

/// <summary>
/// MSSQL under full encryption, against a fake SQL Server that speaks TLS (TDS 7.x inside
/// PRELOGIN, or TDS 8 strict): the relay holds the TLS, checks the certificate against ssl_ca and
/// the name, and reads the login answer inside it.
/// </summary>
public sealed class MsSqlTlsTests
{
    private static readonly MsSqlProber Prober = new(Probes.Loopback);

    private static JsonObject Settings(int port, string mode, string? authority, string host = ServerTls.HostName, bool strict = false)
    {
        var settings = new JsonObject
        {
            ["type"] = "MSSQL",
            ["connection_string"] = $"Server=tcp:{host},{port};Database=master;Uid=sa;Pwd=s3cret" + (strict ? ";Encrypt=strict" : ""),
            ["ssl_mode"] = mode,
        };
        if (authority is not null) settings["ssl_ca"] = authority;
        return settings;
    }

    private static X509Certificate2 Usable(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);

    private static async Task<ProbeResult> Probe(JsonObject settings)
    {
        Assert.Empty(Prober.Check(settings));
        return await Prober.Probe(settings, Probes.Context, CancellationToken.None);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Verify_full_with_the_right_CA_reaches_the_login(bool strict)
    {
        using var tls = ServerTls.Create();
        await using var server = new FakeTlsTdsServer(Usable(tls.Certificate), strict, routes: false);

        var result = await Probe(Settings(server.Port, "verify-full", tls.AuthorityPem, strict: strict));

        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
        Assert.Equal(1, server.Handshakes);
        Assert.Equal(1, server.Logins);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Another_CA_is_a_tls_error_naming_ssl_ca_and_no_login_is_sent(bool strict)
    {
        using var tls = ServerTls.Create();
        using var other = ServerTls.Create("another CA");
        await using var server = new FakeTlsTdsServer(Usable(tls.Certificate), strict, routes: false);

        var result = await Probe(Settings(server.Port, "verify-full", other.AuthorityPem, strict: strict));

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("ssl_ca", result.Message);
        Assert.Equal(0, server.Logins);
    }

    [Fact]
    public async Task Without_ssl_ca_a_CA_the_machine_does_not_trust_is_a_tls_error()
    {
        using var tls = ServerTls.Create();
        await using var server = new FakeTlsTdsServer(Usable(tls.Certificate), strict: false, routes: false);

        var result = await Probe(Settings(server.Port, "verify-full", null));

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("unknown CA", result.Message);
        Assert.Equal(0, server.Logins);
    }

    [Fact]
    public async Task A_host_the_certificate_does_not_name_is_a_tls_error_under_verify_full()
    {
        using var tls = ServerTls.Create();
        await using var server = new FakeTlsTdsServer(Usable(tls.Certificate), strict: false, routes: false);

        var result = await Probe(Settings(server.Port, "verify-full", tls.AuthorityPem, host: "127.0.0.1"));

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("does not name '127.0.0.1'", result.Message);
        Assert.Equal(0, server.Logins);
    }

    [Fact]
    public async Task Verify_ca_takes_the_same_certificate_by_another_name()
    {
        using var tls = ServerTls.Create();
        await using var server = new FakeTlsTdsServer(Usable(tls.Certificate), strict: false, routes: false);

        var result = await Probe(Settings(server.Port, "verify-ca", tls.AuthorityPem, host: "127.0.0.1"));

        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
        Assert.Equal(1, server.Logins);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_routing_answer_inside_TLS_is_refused_and_the_routed_port_sees_no_connection(bool strict)
    {
        using var tls = ServerTls.Create();
        await using var server = new FakeTlsTdsServer(Usable(tls.Certificate), strict, routes: true);

        var result = await Probe(Settings(server.Port, "verify-full", tls.AuthorityPem, strict: strict));

        Assert.Equal(ProbeOutcome.Unsupported, result.Outcome);
        Assert.Contains("routing", result.Message);
        Assert.Equal(1, server.Logins);
        Assert.Equal(0, server.RoutedConnections);
    }

    [Fact]
    public async Task A_server_that_does_not_encrypt_is_a_tls_error_and_gets_no_login()
    {
        await using var server = new FakeTdsServer();
        var settings = new JsonObject
        {
            ["type"] = "MSSQL", ["connection_string"] = $"Server=tcp:127.0.0.1,{server.Port};Database=master;Uid=sa;Pwd=s3cret", ["ssl_mode"] = "require",
        };

        var result = await Probe(settings);

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("does not offer TLS", result.Message);
        Assert.Equal(0, server.Logins);
    }

    [Fact]
    public async Task A_certificate_s_issuer_url_is_never_fetched()
    {
        using var issuer = new SilentListener();
        await using var server = new FakeTlsTdsServer(ProbeCertificates.WithAia(issuer.Port), strict: false, routes: false);

        var result = await Probe(Settings(server.Port, "verify-full", null));

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Equal(0, await issuer.AcceptedBeforeNowAsync());
        Assert.Equal(0, server.Logins);
    }
}
