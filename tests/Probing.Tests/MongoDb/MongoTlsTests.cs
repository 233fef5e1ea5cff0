using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.MongoDb;
using Sources.TestServers;

namespace Sources.Probing.Tests.MongoDb;

/// <summary>
/// MONGODB over TLS: the gate starts TLS to the server, checks the certificate against the name
/// the driver asked for, and builds its chain offline: the AIA URL of a certificate whose issuer
/// is missing names a listener that must see no connection.
/// </summary>
public sealed class MongoTlsTests
{
    private static readonly MongoProber Prober = new(Probes.Loopback);

    private static JsonObject Settings(string connectionString) => new() { ["type"] = "MONGODB", ["connection_string"] = connectionString };

    [Fact]
    public async Task An_untrusted_certificate_is_a_tls_error_and_its_issuer_url_is_never_fetched()
    {
        using var issuer = new SilentListener();
        await using var server = UntrustedTlsListener.Start(ProbeCertificates.WithAia(issuer.Port));

        var result = await Prober.Probe(Settings($"mongodb://reader:s3cret@localhost:{server.Port}/app?tls=true"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Equal(0, await issuer.AcceptedBeforeNowAsync());
    }
}

/// <summary>
/// MONGODB with ssl_mode and ssl_ca: the gate checks each destination's certificate as the source
/// says, against a TLS listener presenting a certificate for "localhost" from a CA the test makes
/// (no MongoDB server runs here). A connection string's TLS options never override the field.
/// </summary>
public sealed class MongoSslModeTests
{
    private static readonly MongoProber Prober = new(Probes.Loopback);

    private static JsonObject Settings(int port, string mode, string? authority, string host = ServerTls.HostName, string options = "")
    {
        var settings = new JsonObject
        {
            ["type"] = "MONGODB",
            ["connection_string"] = $"mongodb://reader:s3cret@{host}:{port}/app?serverSelectionTimeoutMS=5000{options}",
            ["ssl_mode"] = mode,
        };
        if (authority is not null) settings["ssl_ca"] = authority;
        return settings;
    }

    private static async Task<ProbeResult> Against(ServerTls presented, Func<int, JsonObject> settings)
    {
        var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
            presented.Certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
        await using var server = UntrustedTlsListener.Start(certificate);
        var source = settings(server.Port);
        Assert.Empty(Prober.Check(source));
        return await Prober.Probe(source, Probes.Context, CancellationToken.None);
    }

    [Fact]
    public async Task A_certificate_from_another_CA_is_a_tls_error_naming_the_unknown_CA()
    {
        using var tls = ServerTls.Create();
        using var other = ServerTls.Create("sources test other CA");

        var result = await Against(tls, port => Settings(port, "verify-full", other.AuthorityPem));

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("not signed by a CA in ssl_ca", result.Message);
    }

    [Fact]
    public async Task A_host_name_the_certificate_does_not_hold_is_a_tls_error_naming_the_mismatch()
    {
        using var tls = ServerTls.Create();

        var result = await Against(tls, port => Settings(port, "verify-full", tls.AuthorityPem, host: "127.0.0.1"));

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("does not name '127.0.0.1'", result.Message);
    }

    [Fact]
    public async Task The_server_s_CA_gets_past_the_handshake()
    {
        using var tls = ServerTls.Create();

        var result = await Against(tls, port => Settings(port, "verify-full", tls.AuthorityPem));

        Assert.NotEqual(ProbeOutcome.TlsError, result.Outcome);
    }

    [Theory]
    [InlineData("verify-full", "&tls=false")]
    [InlineData("verify-full", "&tlsInsecure=true")]
    [InlineData("verify-ca", "&tlsAllowInvalidCertificates=true")]
    [InlineData("disable", "&tls=true")]
    public void A_connection_string_TLS_option_that_disagrees_with_ssl_mode_is_a_problem_at_ssl_mode(string mode, string options)
    {
        var problem = Assert.Single(Prober.Check(Settings(27017, mode, null, options: options)));

        Assert.Equal("/ssl_mode", problem.Pointer);
    }

    [Theory]
    [InlineData("verify-ca", "&tls=true")]
    [InlineData("require", "&tlsInsecure=true")]
    [InlineData("disable", "&tls=false")]
    public void A_connection_string_TLS_option_that_agrees_is_accepted(string mode, string options) =>
        Assert.Empty(Prober.Check(Settings(27017, mode, null, options: options)));
}
