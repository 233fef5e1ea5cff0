using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sources.Silo.Probing.Common;

/// <summary>
/// How a probe's TLS client builds the server's certificate chain: from what the server sent and
/// the machine's trust store only. By default .NET downloads missing intermediates from the URL
/// in the certificate (AIA caIssuers) and may fetch revocation lists, with its own HTTP client and
/// DNS, outside the network policy: a certificate could send the probe to any address. The
/// policy asks for the server-authentication usage, as SslStream's own default does.
/// </summary>
public static class OfflineChain
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    public static X509ChainPolicy Policy()
    {
        var policy = new X509ChainPolicy
        {
            DisableCertificateDownloads = true,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.ApplicationPolicy.Add(ServerAuthentication);
        return policy;
    }

    /// <summary>Sets the offline chain policy on options a driver is about to hand to SslStream.</summary>
    public static void Apply(SslClientAuthenticationOptions tls)
    {
        tls.CertificateChainPolicy = Policy();
        tls.CertificateRevocationCheckMode = X509RevocationMode.NoCheck;
    }
}
