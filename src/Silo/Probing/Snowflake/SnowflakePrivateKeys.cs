using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>
/// Opens a PKCS#8 private key in PEM form, plain ("BEGIN PRIVATE KEY") or encrypted with a
/// passphrase ("BEGIN ENCRYPTED PRIVATE KEY"), as Snowflake's own guide has users make them
/// with openssl. Only RSA keys: Snowflake's key-pair authentication takes nothing else.
/// An encrypted key names its own PBKDF2 iteration count, and the key derivation runs in full
/// before any passphrase or padding check, so a count near 2³¹ would hold a core for minutes
/// whatever the passphrase: counts above <see cref="MaxIterations"/> are refused before decrypting.
/// </summary>
public static class SnowflakePrivateKeys
{
    /// <summary>
    /// The most PBKDF2 iterations an encrypted key may ask for: well above what openssl (2,048)
    /// and current guidance (600,000 for SHA-256) use, and a fraction of a second to derive.
    /// </summary>
    public const int MaxIterations = 1_000_000;

    public sealed record Opened(RSA? Key, SettingsProblem? Problem);

    /// <summary>Whether the key is an encrypted PKCS#8 key, whose opening costs its PBKDF2 iterations.</summary>
    public static bool IsEncrypted(string pem) => pem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);

    /// <summary>What can be told of the key without decrypting it (cheap: no PBKDF2); null when nothing.</summary>
    public static SettingsProblem? Screen(string pem, string? passphrase)
    {
        var encrypted = IsEncrypted(pem);
        if (encrypted && string.IsNullOrEmpty(passphrase))
            return new("/private_key_passphrase", "The private key is encrypted: give its private_key_passphrase.");
        if (!encrypted && passphrase is not null)
            return new("/private_key_passphrase", "The private key is not encrypted, so it takes no passphrase.");
        return encrypted ? IterationProblem(pem) : null;
    }

    public static Opened Open(string pem, string? passphrase)
    {
        var encrypted = IsEncrypted(pem);
        if (Screen(pem, passphrase) is { } screened)
            return new Opened(null, screened);
        var rsa = RSA.Create();
        try
        {
            if (encrypted)
                rsa.ImportFromEncryptedPem(pem, passphrase);
            else
                rsa.ImportFromPem(pem);
            if (rsa.KeySize < SnowflakeKeyPairs.KeySize)
            {
                rsa.Dispose();
                return Problem("/private_key", $"The private key is RSA-{rsa.KeySize}; Snowflake needs at least RSA-2048.");
            }
            return new Opened(rsa, null);
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            return encrypted
                ? Problem("/private_key_passphrase", "The passphrase does not open the private key, or the key is not an RSA key.")
                : Problem("/private_key", "The private key is not a PKCS#8 RSA private key in PEM form.");
        }
        catch (ArgumentException)
        {
            rsa.Dispose();
            return Problem("/private_key", "The private key is not a PKCS#8 RSA private key in PEM form.");
        }
    }

    /// <summary>The problem with an encrypted key's iteration count, read from its EncryptedPrivateKeyInfo; null when it is within the bound.</summary>
    private static SettingsProblem? IterationProblem(string pem)
    {
        var count = Iterations(pem);
        if (count is null)
            return new SettingsProblem("/private_key", "The private key is not a PKCS#8 RSA private key in PEM form.");
        if (count > MaxIterations)
            return new SettingsProblem("/private_key", string.Create(CultureInfo.InvariantCulture,
                $"The private key is encrypted with {count:N0} PBKDF2 iterations; Sources opens keys of at most {MaxIterations:N0}. Encrypt it again with fewer (openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 600000)."));
        return null;
    }

    /// <summary>
    /// The iteration count of the key's password-based encryption: PBES2 with PBKDF2
    /// (what openssl and .NET write), or a PBES1/PKCS#12 scheme (salt, count); null when the
    /// structure is not one of those.
    /// </summary>
    public static long? Iterations(string pem)
    {
        try
        {
            var fields = PemEncoding.Find(pem);
            if (!pem.AsSpan()[fields.Label].SequenceEqual("ENCRYPTED PRIVATE KEY"))
                return null;
            var der = Convert.FromBase64String(pem[fields.Base64Data]);
            var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            var algorithm = info.ReadSequence();
            var scheme = algorithm.ReadObjectIdentifier();
            var parameters = algorithm.ReadSequence();
            if (scheme == Pbes2)
            {
                var kdf = parameters.ReadSequence();
                if (kdf.ReadObjectIdentifier() != Pbkdf2)
                    return null;
                parameters = kdf.ReadSequence();
            }
            parameters.ReadEncodedValue(); // the salt
            return parameters.TryReadInt64(out var count) ? count : long.MaxValue;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or AsnContentException)
        {
            return null;
        }
    }

    private const string Pbes2 = "1.2.840.113549.1.5.13";
    private const string Pbkdf2 = "1.2.840.113549.1.5.12";

    private static Opened Problem(string pointer, string message) => new(null, new SettingsProblem(pointer, message));
}
