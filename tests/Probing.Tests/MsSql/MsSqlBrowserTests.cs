using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.MsSql;
using Sources.TestServers;

namespace Sources.Probing.Tests.MsSql;

/// <summary>
/// A named instance without a port: the prober asks a fake SQL Browser (a real UDP socket on
/// loopback) for the port, then connects through the relay exactly as with a port.
/// </summary>
public sealed class MsSqlBrowserTests
{
    private static JsonObject Settings(string instance, string encrypt = "Encrypt=no") => new()
    {
        ["type"] = "MSSQL",
        ["connection_string"] = $@"Server=tcp:{ServerTls.HostName}\{instance};Uid=sa;Pwd=s3cret;Database=master;{encrypt}",
    };

    private static async Task<ProbeResult> Probe(FakeSqlBrowser browser, JsonObject settings)
    {
        var prober = new MsSqlProber(Probes.Loopback, browser.Port);
        Assert.Empty(prober.Check(settings));
        return await prober.Probe(settings, Probes.Context, CancellationToken.None);
    }

    [Fact]
    public async Task The_instance_s_port_comes_from_SQL_Browser_and_its_routed_login_is_cut()
    {
        await using var server = new FakeTdsServer();
        using var browser = new FakeSqlBrowser(FakeSqlBrowser.Instance("OTHER", 1) + FakeSqlBrowser.Instance("SQLEXPRESS", server.Port));

        var result = await Probe(browser, Settings("sqlexpress"));

        Assert.Equal(ProbeOutcome.Unsupported, result.Outcome);
        Assert.Contains("routing", result.Message);
        Assert.Equal([0x04, .. "sqlexpress"u8.ToArray(), 0x00], Assert.Single(browser.Requests));
        Assert.Equal(1, server.Logins);
        Assert.Equal(0, server.RoutedConnections);
    }

    [Fact]
    public async Task An_instance_name_with_ssl_ca_and_verify_ca_reaches_the_login_through_the_relay_s_TLS()
    {
        using var tls = ServerTls.Create();
        await using var server = new FakeTlsTdsServer(X509CertificateLoader.LoadPkcs12(tls.Certificate.Export(X509ContentType.Pfx), null), strict: false, routes: false);
        using var browser = new FakeSqlBrowser(FakeSqlBrowser.Instance("REPORTING", server.Port));
        var settings = Settings("REPORTING", encrypt: "");
        settings["ssl_mode"] = "verify-ca";
        settings["ssl_ca"] = tls.AuthorityPem;

        var result = await Probe(browser, settings);

        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
        Assert.Equal(1, server.Handshakes);
        Assert.Equal(1, server.Logins);
    }

    [Fact]
    public async Task An_answer_naming_only_another_instance_is_not_found_and_no_server_is_dialled()
    {
        await using var server = new FakeTdsServer();
        using var browser = new FakeSqlBrowser(FakeSqlBrowser.Instance("OTHER", server.Port));

        var result = await Probe(browser, Settings("SQLEXPRESS"));

        Assert.Equal(ProbeOutcome.NotFound, result.Outcome);
        Assert.Contains("SQLEXPRESS", result.Message);
        Assert.Equal(0, server.Logins);
    }

    [Fact]
    public async Task An_instance_without_TCP_is_unsupported()
    {
        using var browser = new FakeSqlBrowser(@"ServerName;TESTBOX;InstanceName;SQLEXPRESS;IsClustered;No;Version;16.0.1000.6;np;\\TESTBOX\pipe\MSSQL$SQLEXPRESS\sql\query;;");

        Assert.Equal(ProbeOutcome.Unsupported, (await Probe(browser, Settings("SQLEXPRESS"))).Outcome);
    }

    [Fact]
    public async Task A_browser_that_never_answers_ends_within_the_budget_as_unreachable()
    {
        // Through a node's scheduler with a 2 s deadline: had the lookup waited past the budget, the outcome would be timeout.
        using var browser = new FakeSqlBrowser(answer: null);
        var settings = Probes.Settings(deadlineSeconds: 2);
        var prober = new MsSqlProber(Probes.Loopback, browser.Port);

        var result = await Probes.Runner(prober, settings).Run(prober.Type, Settings("SQLEXPRESS"), Probes.Context, [], CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
        Assert.Contains("SQL Browser on 'localhost' did not answer for instance 'SQLEXPRESS'", result.Message);
        Assert.Single(browser.Requests);
    }
}
