using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Sources.Silo.Probing.Common;

/// <summary>
/// The check of one probe's server certificate, for every driver that hands the probe a
/// validation callback. The chain is built again here, offline (<see cref="OfflineChain"/>),
/// against <c>ssl_ca</c> alone when the source gives one, else the machine's trust store, so
/// what the driver built before the callback (possibly online) decides nothing. What did not
/// match is kept, so the probe's <c>tls_error</c> says it.
/// </summary>
public sealed class ServerCertificateCheck(TlsSettings tls, string host)
{
    private readonly X509Certificate2Collection? _authorities = tls.Authorities();
    private string? _mismatch;

    public string Host { get; } = host;

    public TlsSettings Tls { get; } = tls;

    /// <summary>Whether TLS started: the server agreed to it, or sent a certificate.</summary>
    public bool Started { get; private set; }

    /// <summary>For drivers that say when the server agreed to TLS before any certificate is seen.</summary>
    public void MarkStarted() => Started = true;

    /// <summary>What did not match in the last certificate refused, or null when none was.</summary>
    public string? Mismatch => Volatile.Read(ref _mismatch);

    public RemoteCertificateValidationCallback Callback => Validate;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Started = true;
        if (Tls.Mode is TlsMode.Disable or TlsMode.Require)
            return true;
        if (certificate is null)
            return Refuse("the server sent no certificate");
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var ours = new X509Chain { ChainPolicy = OfflineChain.Policy() };
        // The intermediates the server sent, as the driver's own chain collected them.
        if (chain is not null)
        {
            ours.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements)
                if (!element.Certificate.Equals(leaf))
                    ours.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        if (_authorities is not null)
        {
            ours.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            ours.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        }
        if (!ours.Build(leaf))
            return Refuse(ChainProblem(ours));
        if (Tls.Mode == TlsMode.VerifyFull && !leaf.MatchesHostname(Host.Trim('[', ']')))
            return Refuse($"the certificate does not name '{Host}' (ssl_mode verify-full checks the name; verify-ca does not)");
        return true;
    }

    private string ChainProblem(X509Chain chain)
    {
        var statuses = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        if ((statuses & (X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested)) != 0)
            return "the certificate has expired or is not valid yet";
        if ((statuses & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
            return _authorities is not null
                ? "the certificate is not signed by a CA in ssl_ca (unknown CA)"
                : "the certificate is not signed by a CA this machine trusts (unknown CA; give the server's CA as ssl_ca)";
        if ((statuses & X509ChainStatusFlags.NotValidForUsage) != 0)
            return "the certificate is not meant for a TLS server";
        if ((statuses & X509ChainStatusFlags.NotSignatureValid) != 0)
            return "the certificate's signature is not valid";
        return $"the certificate's chain is not valid ({statuses})";
    }

    private bool Refuse(string why)
    {
        Volatile.Write(ref _mismatch, why);
        return false;
    }

    /// <summary>The probe's answer once the handshake failed: what did not match, when this check refused the certificate.</summary>
    public ProbeResult Failed() => Mismatch is { } why
        ? ProbeResult.Failed(ProbeOutcome.TlsError, $"The TLS check of '{Host}' failed: {why}.")
        : TransportFailures.TlsFailed(Host);

    /// <summary>The answer when TLS is required and the server does not offer it.</summary>
    public static ProbeResult NotOffered(string host, TlsMode mode) => ProbeResult.Failed(ProbeOutcome.TlsError,
        $"'{host}' does not offer TLS, which ssl_mode {TlsSettings.Name(mode)} requires (ssl_mode disable connects without it).");
}
