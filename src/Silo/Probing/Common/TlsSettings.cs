using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.Common;

/// <summary>How a probe's connection uses TLS: the four modes the contract offers.</summary>
public enum TlsMode
{
    /// <summary>No TLS.</summary>
    Disable,
    /// <summary>TLS, any certificate.</summary>
    Require,
    /// <summary>TLS, a certificate that chains to a trusted CA; the name is not checked.</summary>
    VerifyCa,
    /// <summary>TLS, a certificate that chains to a trusted CA and names the host.</summary>
    VerifyFull,
}

/// <summary>
/// A source's <c>ssl_mode</c> and <c>ssl_ca</c>, read from its settings. A source stored without
/// <c>ssl_mode</c> (or settings built in code) gets what its connection string says, else the
/// contract's default, verify-full: the one mode under which no driver sends a password, or
/// anything a password can be recovered from, to a server that has not proved it is the host named.
/// </summary>
public sealed record TlsSettings(TlsMode Mode, bool ModeGiven, string? AuthoritiesPem)
{
    public const TlsMode DefaultMode = TlsMode.VerifyFull;

    /// <summary>Most certificates one <c>ssl_ca</c> may hold (a cloud provider's bundle holds about a hundred regions' roots).</summary>
    public const int MaxAuthorities = 100;

    /// <summary>Most characters of <c>ssl_ca</c>, as the contract's maxLength says.</summary>
    public const int MaxAuthoritiesLength = 65536;

    public bool Verifies => Mode is TlsMode.VerifyCa or TlsMode.VerifyFull;

    /// <summary>The mode's name as the contract spells it.</summary>
    public static string Name(TlsMode mode) => mode switch
    {
        TlsMode.Disable => "disable",
        TlsMode.Require => "require",
        TlsMode.VerifyCa => "verify-ca",
        _ => "verify-full",
    };

    public static TlsMode? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "disable" => TlsMode.Disable,
        "require" => TlsMode.Require,
        "verify-ca" => TlsMode.VerifyCa,
        "verify-full" => TlsMode.VerifyFull,
        _ => null,
    };

    /// <summary>The settings' TLS fields; <paramref name="fallback"/> is what a connection string says when the field is absent.</summary>
    public static TlsSettings From(JsonObject settings, TlsMode? fallback = null)
    {
        var given = Parse(SettingsFields.Text(settings, "ssl_mode"));
        return new TlsSettings(given ?? fallback ?? DefaultMode, given is not null, SettingsFields.Text(settings, "ssl_ca"));
    }

    /// <summary>
    /// What is wrong with the TLS fields on their own: an unknown mode, an <c>ssl_ca</c> that is not
    /// PEM certificates only (a private key pasted by mistake would be stored unsealed), holds too
    /// many, or comes with a mode that never checks a chain.
    /// </summary>
    public static IEnumerable<SettingsProblem> Problems(JsonObject settings)
    {
        if (settings["ssl_mode"] is not null && Parse(SettingsFields.Text(settings, "ssl_mode")) is null)
            yield return new SettingsProblem("/ssl_mode", "'ssl_mode' must be disable, require, verify-ca or verify-full.");
        if (settings["ssl_ca"] is null)
            yield break;
        var pem = SettingsFields.Text(settings, "ssl_ca");
        if (CertificateProblem(pem) is { } problem)
            yield return new SettingsProblem("/ssl_ca", problem);
        else if (Parse(SettingsFields.Text(settings, "ssl_mode")) is TlsMode.Disable or TlsMode.Require)
            yield return new SettingsProblem("/ssl_ca", "'ssl_ca' is used only to verify a certificate: set ssl_mode to verify-ca or verify-full, or leave ssl_ca out.");
    }

    private static string? CertificateProblem(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
            return "'ssl_ca' must hold PEM certificates.";
        if (pem.Length > MaxAuthoritiesLength)
            return $"'ssl_ca' may hold at most {MaxAuthoritiesLength} characters.";
        var count = 0;
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            if (!rest[fields.Label].SequenceEqual("CERTIFICATE"))
                return "'ssl_ca' may hold only CERTIFICATE blocks (no keys or requests).";
            if (++count > MaxAuthorities)
                return $"'ssl_ca' may hold at most {MaxAuthorities} certificates.";
            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest[fields.Base64Data].ToString()));
            }
            catch (CryptographicException)
            {
                return $"Certificate number {count} of 'ssl_ca' is not a valid X.509 certificate.";
            }
            rest = rest[fields.Location.End..];
        }
        return count == 0 ? "'ssl_ca' must hold PEM certificates." : null;
    }

    /// <summary>The certificates of <c>ssl_ca</c>, or null when there is none (the machine's trust store decides).</summary>
    public X509Certificate2Collection? Authorities()
    {
        if (AuthoritiesPem is null)
            return null;
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPem(AuthoritiesPem);
        return authorities;
    }

    /// <summary>
    /// The problem when a connection string names a TLS option that says something else than the
    /// field; null when it names none, or agrees. A connection string never overrides the field.
    /// </summary>
    public static SettingsProblem? Conflict(JsonObject settings, TlsMode? fromConnectionString, string optionName)
    {
        var given = Parse(SettingsFields.Text(settings, "ssl_mode"));
        if (given is null || fromConnectionString is null || given == fromConnectionString)
            return null;
        return new SettingsProblem("/ssl_mode",
            $"The connection string's {optionName} says {Name(fromConnectionString.Value)} but ssl_mode is {Name(given.Value)}"
            + (given == DefaultMode ? " (the default)" : "") + ": the field decides; set ssl_mode to agree, or leave the option out of the connection string.");
    }
}
