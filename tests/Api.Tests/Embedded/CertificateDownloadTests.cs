using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;
using Sources.Contracts;
using Sources.TestServers;

namespace Sources.Api.Tests.Embedded;

/// <summary>
/// The service process downloads no certificate while it checks one (docs/probers.md, TLS): a
/// MYSQL server whose certificate's issuer is missing, and whose AIA URL names a loopback
/// listener. MySqlConnector's SslStream builds that chain itself, with downloads on, before the
/// probe's offline check; only the process's AiaDownloadLimit of 0 keeps it from connecting there.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class CertificateDownloadTests(EmbeddedService service)
{
    [Fact]
    public async Task A_mysql_certificate_s_issuer_url_is_never_fetched_by_the_service()
    {
        using var issuer = new SilentListener();
        var (leaf, rootPem) = LeafWithoutItsIssuer(issuer.Port);
        using var _ = leaf;
        using var server = new TlsMySqlServer(leaf);
        var body = new JsonObject
        {
            ["type"] = "MYSQL", ["hostname"] = "localhost", ["port"] = server.Port,
            ["username"] = "app", ["password"] = "pw", ["database_name"] = "shop",
            ["ssl_mode"] = "verify-full", ["ssl_ca"] = rootPem,
        };

        var answer = await service.Client.Send(HttpMethod.Post, SourcesClient.Root + "test/", SourcesClient.Json(body));

        var result = answer.As(b => ProbeResult.Parse(b));
        Assert.Equal("tls_error", result.Outcome);
        Assert.Contains("not signed by a CA in ssl_ca", result.Message);
        // The answer comes after the client's chain build, so a download would have connected by now.
        await server.Served;
        Assert.Equal(0, await issuer.AcceptedBeforeNowAsync());
    }

    [Fact]
    public void The_service_s_runtime_configuration_turns_certificate_downloads_off()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sources.Api.runtimeconfig.json")))!;
        Assert.Equal(0, (int?)config["runtimeOptions"]?["configProperties"]?["System.Security.Cryptography.AiaDownloadLimit"]);
    }

    /// <summary>A "localhost" certificate from an intermediate the server will not send, whose AIA caIssuers URL is the listener; the root as PEM.</summary>
    private static (X509Certificate2 Leaf, string RootPem) LeafWithoutItsIssuer(int issuerPort)
    {
        using var root = TestCertificates.NewAuthority("Sources test root");
        using var intermediate = root.NewIntermediate("Sources test intermediate");
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        var aia = new X509AuthorityInformationAccessExtension(null, [$"http://127.0.0.1:{issuerPort}/intermediate.crt"]);
        using var leaf = intermediate.Issue("localhost", names.Build(), aia);
        // Exported and loaded again so SslStream can use the private key.
        return (X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pfx), null), root.Authority.ExportCertificatePem());
    }
}
