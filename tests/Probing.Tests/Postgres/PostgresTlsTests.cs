using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Postgres;
using Sources.TestServers;

namespace Sources.Probing.Tests.Postgres;

/// <summary>
/// Checking a POSTGRES server's certificate downloads nothing: the certificate's issuer is
/// missing and its AIA URL names a loopback listener, which must see no connection.
/// </summary>
public sealed class PostgresTlsTests
{
    private static readonly PostgresProber Prober = new(Probes.Loopback);

    [Theory]
    [InlineData("Require", ProbeOutcome.AuthFailed)]
    [InlineData("VerifyFull", ProbeOutcome.TlsError)]
    public async Task The_certificate_s_issuer_url_is_never_fetched(string sslMode, string outcome)
    {
        using var issuer = new SilentListener();
        await using var server = FakePostgres.WithTls(ProbeCertificates.WithAia(issuer.Port));
        var settings = new JsonObject
        {
            ["type"] = "POSTGRES",
            ["connection_string"] = $"host=localhost;port={server.Port};username=analyst;password=pw;database=app;sslmode={sslMode}",
        };

        var result = await Prober.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(0, await issuer.AcceptedBeforeNowAsync());
    }

    [Theory]
    [InlineData("require")]
    [InlineData("verify-full")]
    public async Task A_mode_that_needs_TLS_against_a_server_without_it_is_a_tls_error_saying_so(string mode)
    {
        await using var server = FakePostgres.Plain();
        var settings = new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "localhost", ["port"] = server.Port,
            ["username"] = "analyst", ["password"] = "pw", ["database_name"] = "app", ["ssl_mode"] = mode,
        };

        var result = await Prober.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("does not offer TLS", result.Message);
        Assert.Empty(server.Passwords);
    }

}
