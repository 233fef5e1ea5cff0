using System.Security.Cryptography.X509Certificates;
using Sources.Probing.Tests.Support;
using Sources.TestServers;

namespace Sources.Probing.Tests.Tls;

/// <summary>
/// The trap the TLS tests (POSTGRES, MONGODB, FILE over HTTPS) rely on: a client that builds the
/// chain of <see cref="ProbeCertificates.WithAia"/> online does connect to its issuer listener, so
/// their "no connection there" could fail.
/// </summary>
public sealed class AiaCertificateTests
{
    [Fact]
    public async Task An_online_chain_build_connects_to_the_issuer_address()
    {
        using var issuer = new SilentListener();
        using var leaf = ProbeCertificates.WithAia(issuer.Port);
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = false;
        // The listener never answers: the download gives up after this, and the chain stays incomplete.
        chain.ChainPolicy.UrlRetrievalTimeout = TimeSpan.FromSeconds(1);

        Assert.False(chain.Build(leaf));
        Assert.Equal(1, await issuer.AcceptedBeforeNowAsync());
    }
}
