using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sources.TestServers;

/// <summary>
/// Certificates made in code as an operator makes them with openssl: a CA, and node certificates
/// it signs (both TLS usages, server and client), for the cluster's mutual TLS; with extra
/// extensions (a DNS name, an AIA address) and an intermediate CA, the servers' certificates that
/// the probers' TLS tests present.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private static readonly OidCollection BothUsages = [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")];

    private TestCertificates(X509Certificate2 authority) => Authority = authority;

    /// <summary>The CA, with its private key.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>A new CA, trusted by nothing on this machine.</summary>
    public static TestCertificates NewAuthority(string name = "sources test cluster CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificates(request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30)));
    }

    /// <summary>An intermediate CA signed by this one, with its private key (valid within this CA's time, and the certificates it issues within its own).</summary>
    public TestCertificates NewIntermediate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Authority, now.AddHours(-2), now.AddDays(14), RandomNumberGenerator.GetBytes(12));
        return new TestCertificates(issued.CopyWithPrivateKey(key));
    }

    /// <summary>A node certificate signed by this CA, with its private key and any <paramref name="extensions"/> besides the usages.</summary>
    public X509Certificate2 Issue(string name, params X509Extension[] extensions)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Request(name, key, extensions);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(Authority, now.AddHours(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(12));
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A self-signed node certificate (no CA), with its private key and any <paramref name="extensions"/> besides the usages.</summary>
    public static X509Certificate2 SelfSigned(string name, params X509Extension[] extensions)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        return Request(name, key, extensions).CreateSelfSigned(now.AddHours(-1), now.AddDays(7));
    }

    private static CertificateRequest Request(string name, ECDsa key, X509Extension[] extensions)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(BothUsages, false));
        foreach (var extension in extensions) request.CertificateExtensions.Add(extension);
        return request;
    }

    /// <summary>Writes the CA certificate (no key) as PEM; its path.</summary>
    public string WriteAuthority(string directory)
    {
        var path = Path.Combine(directory, "cluster-ca.pem");
        File.WriteAllText(path, Authority.ExportCertificatePem());
        return path;
    }

    /// <summary>Writes a certificate and its private key as two PEM files; their paths.</summary>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate, string directory, string name)
    {
        var certificatePath = Path.Combine(directory, $"{name}.crt.pem");
        var keyPath = Path.Combine(directory, $"{name}.key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("An ECDSA certificate was expected.");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    public void Dispose() => Authority.Dispose();
}
