using System.Net;
using System.Net.Sockets;
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
        Assert.Equal(0, await ConnectionsBefore(issuer));
    }

    /// <summary>
    /// How many connections the listener accepted before one made now: connections are accepted
    /// in order, so once this one is counted every earlier one is too.
    /// </summary>
    internal static async Task<int> ConnectionsBefore(SilentListener listener)
    {
        using var marker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await marker.ConnectAsync(IPAddress.Loopback, listener.Port);
        await Poll.Until(() => listener.Accepted > 0 ? "accepted" : null, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10), "the marker connection accepted");
        return listener.Accepted - 1;
    }
}
