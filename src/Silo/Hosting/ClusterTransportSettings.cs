namespace Sources.Silo.Hosting;

/// <summary>
/// "Sources:Cluster": how nodes and clients of a postgres-mode cluster prove themselves to each
/// other (mutual TLS). Embedded mode ignores it: it makes a certificate of its own per process.
/// </summary>
public sealed class ClusterTransportSettings
{
    public const string Section = SourcesSettings.Section + ":Cluster";

    /// <summary>This node's certificate: a PEM file (key in <see cref="CertificateKey"/> or in the
    /// same file) or a PKCS#12 file (.pfx, .p12). Every node and client presents it.</summary>
    public string? Certificate { get; set; }

    /// <summary>The PEM private key of <see cref="Certificate"/>, when it is not in the same file.</summary>
    public string? CertificateKey { get; set; }

    /// <summary>The password of a PKCS#12 file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>A PEM file of the CA certificates that sign the cluster's certificates. Without
    /// it, a peer must present exactly this node's own certificate (one certificate shared by
    /// every node).</summary>
    public string? CertificateAuthority { get; set; }

    /// <summary>Development only: postgres mode without TLS, where anyone who reaches the silo
    /// or gateway port can call any grain as any account.</summary>
    public bool AllowInsecureTransport { get; set; }
}
