using System.Security.Cryptography.X509Certificates;

namespace Sources.TestServers;

/// <summary>
/// A server certificate for a test server, from a CA the test run makes (<see cref="TestCertificates"/>,
/// the code the cluster-transport tests use): the certificate names <see cref="HostName"/> only (no
/// IP address), so connecting by 127.0.0.1 is a name mismatch. The CA's PEM is what a source gives
/// as <c>ssl_ca</c>.
/// </summary>
public sealed class ServerTls : IDisposable
{
    public const string HostName = "localhost";

    private readonly TestCertificates _authority;

    private ServerTls(TestCertificates authority, X509Certificate2 certificate)
    {
        _authority = authority;
        Certificate = certificate;
    }

    /// <summary>A new CA, and a server certificate it signs for "localhost".</summary>
    public static ServerTls Create(string authorityName = "sources test server CA")
    {
        var authority = TestCertificates.NewAuthority(authorityName);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        return new ServerTls(authority, authority.Issue(HostName, names.Build()));
    }

    /// <summary>The server's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA's certificate as PEM (no key): the <c>ssl_ca</c> that trusts this server.</summary>
    public string AuthorityPem => _authority.Authority.ExportCertificatePem();

    /// <summary>The certificate and key as PEM files in <paramref name="folder"/>, the key readable by its owner only (PostgreSQL insists).</summary>
    public (string Certificate, string Key) WriteFiles(string folder)
    {
        var (certificate, key) = TestCertificates.WritePem(Certificate, folder, "server");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (certificate, key);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _authority.Dispose();
    }
}
