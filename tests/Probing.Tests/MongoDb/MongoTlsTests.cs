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
