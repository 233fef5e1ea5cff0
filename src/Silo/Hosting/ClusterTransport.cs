using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;
using Sources.Silo.Storage;

namespace Sources.Silo.Hosting;

/// <summary>
/// Mutual TLS on every connection of the cluster (silo to silo, client to gateway): each side
/// presents a certificate and accepts only a peer whose certificate is the cluster's. Grains
/// trust the account their caller names, so only the service's own processes may call them.
/// </summary>
internal sealed class ClusterTransport
{
    private readonly X509Certificate2 _local;
    private readonly X509Certificate2Collection? _authorities;

    private ClusterTransport(X509Certificate2 local, X509Certificate2Collection? authorities)
    {
        _local = local;
        _authorities = authorities;
    }

    /// <summary>
    /// Embedded: a certificate made for this process. Postgres: the configured one, or null
    /// when the development switch turns TLS off (SourcesSettings has refused a node with neither).
    /// </summary>
    /// <exception cref="InvalidOperationException">A file is unusable, or the certificate is not one its own CA accepts.</exception>
    public static ClusterTransport? For(SourcesSettings settings)
    {
        if (settings.Mode == StorageMode.Embedded)
            return new(ClusterCertificates.Ephemeral(), null);
        if (string.IsNullOrWhiteSpace(settings.Cluster.Certificate))
            return null;
        var transport = new ClusterTransport(ClusterCertificates.Load(settings.Cluster), ClusterCertificates.Authorities(settings.Cluster));
        // Every peer would refuse this node; say so at start, by name, not as refused connections later.
        if (!transport.Accepts(transport._local, null, SslPolicyErrors.None))
            throw new InvalidOperationException($"{ClusterTransportSettings.Section}:Certificate is not signed by {ClusterTransportSettings.Section}:CertificateAuthority "
                + "(or is outside its validity), so no node of the cluster would accept it.");
        return transport;
    }

    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = _local;
        // Required in both directions: a silo refuses a client or silo without one, and a client
        // or silo refuses a server without one.
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = Accepts;
    }

    /// <summary>
    /// The peer's certificate is the cluster's: signed by one of the configured CAs (and only
    /// those, never the machine's trust store), or, without CAs, exactly this node's own. Names
    /// are not checked: nodes reach each other by IP address, and the certificate is the identity.
    /// </summary>
    private bool Accepts(X509Certificate2 peer, X509Chain? presented, SslPolicyErrors errors)
    {
        if (_authorities is null)
            return peer.RawData.AsSpan().SequenceEqual(_local.RawData);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (presented is not null)
            foreach (var element in presented.ChainElements)
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        return chain.Build(peer);
    }
}
