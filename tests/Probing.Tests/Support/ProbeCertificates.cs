using System.Security.Cryptography.X509Certificates;
using Sources.TestServers;

namespace Sources.Probing.Tests.Support;

/// <summary>
/// Server certificates for "localhost" made in the test (by <see cref="TestCertificates"/>), which
/// nothing trusts. <see cref="WithAia"/> is issued by an intermediate that the server does not send,
/// whose AIA caIssuers URL names a loopback port: a client that downloads missing intermediates
/// connects there while it checks the certificate.
/// </summary>
public static class ProbeCertificates
{
    public static X509Certificate2 WithAia(int issuerPort)
    {
        using var root = TestCertificates.NewAuthority("Sources test root");
        using var intermediate = root.NewIntermediate("Sources test intermediate");
        var aia = new X509AuthorityInformationAccessExtension(null, [$"http://127.0.0.1:{issuerPort}/intermediate.crt"]);
        using var leaf = intermediate.Issue("localhost", Localhost(), aia);
        return Usable(leaf);
    }

    public static X509Certificate2 SelfSigned()
    {
        using var certificate = TestCertificates.SelfSigned("localhost", Localhost());
        return Usable(certificate);
    }

    private static X509Extension Localhost()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        return names.Build();
    }

    /// <summary>Exported and loaded again so the private key is usable by SslStream on every platform.</summary>
    private static X509Certificate2 Usable(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
}
