using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sources.Probing.Tests.Support;

/// <summary>
/// Server certificates for "localhost" made in the test, which nothing trusts.
/// <see cref="WithAia"/> is issued by an intermediate that the server does not send,
/// whose AIA caIssuers URL names a loopback port: a client that downloads missing intermediates
/// connects there while it checks the certificate.
/// </summary>
public static class ProbeCertificates
{
    public static X509Certificate2 WithAia(int issuerPort)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Sources test root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        using var root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(2));

        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var intermediateRequest = new CertificateRequest("CN=Sources test intermediate", intermediateKey, HashAlgorithmName.SHA256);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var intermediatePublic = intermediateRequest.Create(root, now.AddMinutes(-5), now.AddHours(1), [1, 2, 3, 4]);
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
        leafRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [$"http://127.0.0.1:{issuerPort}/intermediate.crt"]));
        using var leafPublic = leafRequest.Create(intermediate, now.AddMinutes(-5), now.AddMinutes(50), [5, 6, 7, 8]);
        using var leaf = leafPublic.CopyWithPrivateKey(leafKey);
        // Exported and loaded again so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pfx), null);
    }

    public static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
