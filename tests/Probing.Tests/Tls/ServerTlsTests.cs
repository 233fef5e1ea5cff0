using System.Text.Json.Nodes;
using Sources.Probing.Tests.MySql;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.MySql;
using Sources.Silo.Probing.Postgres;
using Sources.TestServers;

namespace Sources.Probing.Tests.Tls;

/// <summary>
/// ssl_mode and ssl_ca against real servers that speak TLS only, with a certificate for
/// "localhost" from a CA made by the test: verify-full with that CA is healthy; another CA, or the
/// server reached by 127.0.0.1 (a name the certificate does not hold), is a tls_error that says
/// what did not match; disable is a named failure.
/// </summary>
public sealed class ServerTlsTests(TlsServers servers) : IClassFixture<TlsServers>
{
    private static readonly PostgresProber Postgres = new(Probes.Loopback);
    private static readonly MySqlProber MySql = new(Probes.Loopback);
    private static readonly SingleStoreProber SingleStore = new(Probes.Loopback);

    public static TheoryData<string> Types => ["POSTGRES", "MYSQL", "SINGLESTORE"];

    private JsonObject Settings(string type, string mode, string? authority, string host = ServerTls.HostName)
    {
        var settings = type == "POSTGRES"
            ? new JsonObject
            {
                ["type"] = "POSTGRES", ["hostname"] = host, ["port"] = servers.Postgres.Port,
                ["username"] = PostgresServer.TlsOnlyUser, ["password"] = "unused", ["database_name"] = "postgres",
            }
            : MySqlSettings.For(servers.MariaDb.Port, type, host: host);
        settings["ssl_mode"] = mode;
        if (authority is not null) settings["ssl_ca"] = authority;
        return settings;
    }

    private static IProber Prober(string type) => type switch
    {
        "POSTGRES" => Postgres,
        "MYSQL" => MySql,
        _ => SingleStore,
    };

    private static async Task<ProbeResult> Probe(string type, JsonObject settings)
    {
        Assert.Empty(Prober(type).Check(settings));
        return await Prober(type).Probe(settings, Probes.Context, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Verify_full_with_the_server_s_CA_is_healthy(string type)
    {
        var result = await Probe(type, Settings(type, "verify-full", servers.Tls.AuthorityPem));

        Assert.True(result.Outcome == ProbeOutcome.Ok, result.Message);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Another_CA_is_a_tls_error_naming_the_unknown_CA(string type)
    {
        var result = await Probe(type, Settings(type, "verify-full", servers.OtherAuthority.AuthorityPem));

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("not signed by a CA in ssl_ca", result.Message);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Without_ssl_ca_the_machine_s_trust_store_does_not_know_the_CA(string type)
    {
        var result = await Probe(type, Settings(type, "verify-full", null));

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("not signed by a CA this machine trusts", result.Message);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task A_host_name_the_certificate_does_not_hold_is_a_tls_error_naming_the_mismatch(string type)
    {
        var result = await Probe(type, Settings(type, "verify-full", servers.Tls.AuthorityPem, host: "127.0.0.1"));

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("does not name '127.0.0.1'", result.Message);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Verify_ca_checks_the_CA_but_not_the_name(string type)
    {
        var byAddress = await Probe(type, Settings(type, "verify-ca", servers.Tls.AuthorityPem, host: "127.0.0.1"));
        var otherCa = await Probe(type, Settings(type, "verify-ca", servers.OtherAuthority.AuthorityPem, host: "127.0.0.1"));

        Assert.True(byAddress.Outcome == ProbeOutcome.Ok, byAddress.Message);
        Assert.Equal(ProbeOutcome.TlsError, otherCa.Outcome);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Require_takes_any_certificate(string type)
    {
        var result = await Probe(type, Settings(type, "require", null, host: "127.0.0.1"));

        Assert.True(result.Outcome == ProbeOutcome.Ok, result.Message);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Disable_against_a_server_that_takes_only_TLS_is_a_named_failure(string type)
    {
        var result = await Probe(type, Settings(type, "disable", null));

        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
        Assert.Contains("without TLS", result.Message);
    }
}
