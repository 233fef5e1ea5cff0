using System.Net.Security;
using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.MsSql;
using Sources.TestServers;

namespace Sources.Probing.Tests.MsSql;

/// <summary>
/// MSSQL failures without a SQL Server (none can run on this machine): a closed port, a port
/// that never answers, a TLS endpoint with a certificate nobody trusts, names that do not
/// resolve or are not allowed.
/// </summary>
public sealed class MsSqlProberTests
{
    private static readonly MsSqlProber Prober = new(Probes.Loopback);

    private static JsonObject Fields(string host, int port) => new()
    {
        ["type"] = "MSSQL", ["hostname"] = host, ["port"] = port, ["username"] = "sa", ["password"] = "s3cret", ["database_name"] = "master",
    };

    [Fact]
    public async Task Refused_port_is_unreachable()
    {
        var result = await Prober.Probe(Fields("127.0.0.1", FreePort.Next()), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
    }

    [Fact]
    public async Task Silent_listener_ends_at_the_deadline_as_timeout() =>
        Assert.Equal(ProbeOutcome.Timeout, (await SilentProbe.Run(_ => new MsSqlProber(Probes.Loopback), port => Fields("localhost", port))).Outcome);

    [Fact]
    public async Task Unknown_host_is_unreachable()
    {
        var result = await Prober.Probe(Fields("nosuchhost.invalid", 1433), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
        Assert.Contains("nosuchhost.invalid", result.Message);
    }

    [Fact]
    public async Task Metadata_address_is_refused_with_the_generic_message() =>
        ProbeResults.AssertDenied(await Prober.Probe(Fields("169.254.169.254", 1433), Probes.Context, CancellationToken.None));

    [Fact]
    public async Task A_denied_host_inside_the_connection_string_is_refused_the_same_way()
    {
        var settings = new JsonObject { ["type"] = "MSSQL", ["connection_string"] = "Server=tcp:169.254.169.254,1433;Uid=sa;Pwd=x" };

        ProbeResults.AssertDenied(await Prober.Probe(settings, Probes.Context, CancellationToken.None));
    }

    [Fact]
    public async Task Loopback_is_refused_when_the_policy_does_not_allow_it()
    {
        var result = await new MsSqlProber(Probes.Strict).Probe(Fields("127.0.0.1", 1433), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
    }

    [Fact]
    public async Task Untrusted_certificate_on_a_strict_tls_endpoint_is_tls_error()
    {
        await using var tls = UntrustedTlsListener.Start(ProbeCertificates.SelfSigned(), new SslApplicationProtocol("tds/8.0"));
        var settings = new JsonObject
        {
            ["type"] = "MSSQL",
            ["connection_string"] = $"Server=tcp:localhost,{tls.Port};Database=master;Uid=sa;Pwd=s3cret;Encrypt=strict",
        };

        var result = await Prober.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
    }

    [Fact]
    public async Task Verify_full_that_agrees_with_strict_encryption_is_a_tls_error_against_an_untrusted_certificate()
    {
        await using var tls = UntrustedTlsListener.Start(ProbeCertificates.SelfSigned(), new SslApplicationProtocol("tds/8.0"));
        var settings = new JsonObject
        {
            ["type"] = "MSSQL",
            ["connection_string"] = $"Server=tcp:localhost,{tls.Port};Database=master;Uid=sa;Pwd=s3cret;Encrypt=strict",
            ["ssl_mode"] = "verify-full",
        };

        Assert.Empty(Prober.Check(settings));
        var result = await Prober.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
    }
}
