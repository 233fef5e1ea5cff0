using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Files;
using Sources.TestServers;

namespace Sources.Probing.Tests.Files;

/// <summary>
/// HTTPS through GuardedHttp (FILE here; MCP, ClickHouse, Snowflake and BigQuery share it) builds
/// the server's chain offline: a certificate's AIA address, which could name any host past the
/// network policy, is never fetched.
/// </summary>
public sealed class TlsChainTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sources-tls-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_leaf_missing_its_intermediate_fails_tls_without_fetching_its_aia_address()
    {
        using var issuer = new SilentListener();
        await using var server = UntrustedTlsListener.Start(ProbeCertificates.WithAia(issuer.Port));
        var files = new FileSettings { Directory = _root };
        var prober = new FileProber(new FileDownloader(Probes.Loopback, files, Probes.Settings()), files);
        var settings = new JsonObject
        {
            ["file_urls"] = new JsonArray(new JsonObject { ["url"] = $"https://localhost:{server.Port}/x.csv", ["filename"] = "x.csv" }),
        };

        var result = await prober.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Equal(0, await issuer.AcceptedBeforeNowAsync());
    }
}
