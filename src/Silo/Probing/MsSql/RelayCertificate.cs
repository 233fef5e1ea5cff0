using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sources.Silo.Probing.MsSql;

/// <summary>
/// The certificate <see cref="TdsRoutingGuard"/> presents to SqlClient on loopback: made once per
/// process (a new key each start, never stored), self-signed, for "localhost". SqlClient pins it
/// with <c>ServerCertificate</c>, a path, so its public part (no key) is written once to a file
/// of its own, created new in the temporary folder (a sticky folder: no one else may replace it).
/// </summary>
public static class RelayCertificate
{
    public const string Name = "localhost";

    private static readonly Lazy<(X509Certificate2 Certificate, string Path)> Made = new(Make, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The certificate, with its private key.</summary>
    public static X509Certificate2 Certificate => Made.Value.Certificate;

    /// <summary>The file SqlClient pins: the certificate alone, DER.</summary>
    public static string Path => Made.Value.Path;

    private static (X509Certificate2, string) Make()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={Name}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(Name);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var made = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        // Exported and loaded again so SslStream can use the key on every platform.
        var certificate = X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"sources-mssql-relay-{Guid.NewGuid():N}.cer");
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            file.Write(certificate.Export(X509ContentType.Cert));
        return (certificate, path);
    }
}
