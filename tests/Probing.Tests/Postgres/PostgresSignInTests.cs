using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Postgres;

namespace Sources.Probing.Tests.Postgres;

/// <summary>
/// What a POSTGRES probe sends while signing in: a cleartext or MD5 password only over a
/// connection that must be TLS (sslmode=require or stricter), never Kerberos (GSS, SSPI), never GSS
/// encryption.
/// </summary>
public sealed class PostgresSignInTests
{
    private const string Password = "the-source-s-own-password";

    private static readonly PostgresProber Prober = new(Probes.Loopback);

    private static JsonObject Fields(int port) => new()
    {
        ["type"] = "POSTGRES", ["hostname"] = "localhost", ["port"] = port, ["username"] = "analyst", ["password"] = Password, ["database_name"] = "app",
        // What crosses a connection without TLS is the point of these tests.
        ["ssl_mode"] = "disable",
    };

    [Theory]
    [InlineData(FakePostgres.Cleartext)]
    [InlineData(FakePostgres.Md5)]
    public async Task No_cleartext_or_md5_password_crosses_a_connection_without_TLS(int authRequest)
    {
        await using var server = FakePostgres.Plain(authRequest);

        var result = await Prober.Probe(Fields(server.Port), Probes.Context, CancellationToken.None);

        Assert.Single(server.Startups);
        Assert.Empty(server.Passwords);
        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
        Assert.Contains("sslmode=require", result.Message);
    }

    [Fact]
    public async Task A_cleartext_password_goes_over_a_connection_that_must_be_TLS()
    {
        await using var server = FakePostgres.WithTls(ProbeCertificates.SelfSigned());
        var settings = new JsonObject
        {
            ["type"] = "POSTGRES",
            ["connection_string"] = $"host=localhost;port={server.Port};username=analyst;password={Password};database=app;sslmode=require",
        };

        var result = await Prober.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(Password, Assert.Single(server.Passwords));
        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
    }

    [Theory]
    [InlineData(FakePostgres.Gss)]
    [InlineData(FakePostgres.Sspi)]
    public async Task Kerberos_sign_in_is_refused_even_over_TLS(int authRequest)
    {
        await using var server = FakePostgres.WithTls(ProbeCertificates.SelfSigned(), authRequest);
        var settings = new JsonObject
        {
            ["type"] = "POSTGRES",
            ["connection_string"] = $"host=localhost;port={server.Port};username=analyst;password={Password};database=app;sslmode=require",
        };

        var result = await Prober.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Single(server.Startups);
        Assert.Empty(server.Passwords);
        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
    }

    [Fact]
    public async Task Gss_encryption_is_never_asked_for()
    {
        await using var server = FakePostgres.Plain();
        var settings = Fields(server.Port);
        settings["ssl_mode"] = "require";

        await Prober.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(["SSLRequest"], server.Requests);
    }
}
