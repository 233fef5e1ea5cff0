using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sources.Silo.Hosting;

/// <summary>The certificates the cluster's transport uses: loaded from configuration, or made for one process.</summary>
internal static class ClusterCertificates
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    /// <summary>This node's certificate with its private key, as <see cref="ClusterTransportSettings"/> names it.</summary>
    /// <exception cref="InvalidOperationException">The file is missing, unreadable or has no private key; the message names the setting.</exception>
    public static X509Certificate2 Load(ClusterTransportSettings settings)
    {
        var path = settings.Certificate ?? throw new InvalidOperationException($"{ClusterTransportSettings.Section}:Certificate is not set.");
        Exists(path, "Certificate");
        if (settings.CertificateKey is not null)
            Exists(settings.CertificateKey, "CertificateKey");
        X509Certificate2 certificate;
        try
        {
            certificate = Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, settings.CertificatePassword, X509KeyStorageFlags.EphemeralKeySet)
                : settings.CertificatePassword is { } password
                    ? X509Certificate2.CreateFromEncryptedPemFile(path, password, settings.CertificateKey)
                    : X509Certificate2.CreateFromPemFile(path, settings.CertificateKey);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{ClusterTransportSettings.Section}:Certificate ({path}) could not be read with its key: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException($"{ClusterTransportSettings.Section}:Certificate ({path}) has no private key; give it in {ClusterTransportSettings.Section}:CertificateKey.");
        return Usable(certificate);
    }

    /// <summary>The CA certificates of <see cref="ClusterTransportSettings.CertificateAuthority"/>, or null when the cluster pins its one certificate.</summary>
    public static X509Certificate2Collection? Authorities(ClusterTransportSettings settings)
    {
        if (settings.CertificateAuthority is not { } path)
            return null;
        Exists(path, "CertificateAuthority");
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException($"{ClusterTransportSettings.Section}:CertificateAuthority ({path}) is not a PEM file of certificates: {e.Message}", e);
        }
        if (authorities.Count == 0)
            throw new InvalidOperationException($"{ClusterTransportSettings.Section}:CertificateAuthority ({path}) holds no certificate.");
        return authorities;
    }

    /// <summary>
    /// A self-signed certificate that exists only in this process's memory: embedded mode's silo
    /// requires it of every peer, and no other process can present it.
    /// </summary>
    public static X509Certificate2 Ephemeral()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=sources-embedded", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], false));
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        return Usable(created);
    }

    // SslStream wants a key it can hand to the platform's TLS; a PEM-loaded or freshly created
    // key is re-imported from an in-memory PKCS#12 (never written to disk) to be one.
    private static X509Certificate2 Usable(X509Certificate2 certificate)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12, password), password, X509KeyStorageFlags.EphemeralKeySet);
    }

    private static void Exists(string path, string setting)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"{ClusterTransportSettings.Section}:{setting} names {path}, which does not exist.");
    }
}
