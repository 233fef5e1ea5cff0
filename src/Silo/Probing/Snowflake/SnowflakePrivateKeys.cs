using System.Security.Cryptography;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>
/// Opens a PKCS#8 private key in PEM form, plain ("BEGIN PRIVATE KEY") or encrypted with a
/// passphrase ("BEGIN ENCRYPTED PRIVATE KEY"), as Snowflake's own guide has users make them
/// with openssl. Only RSA keys: Snowflake's key-pair authentication takes nothing else.
/// </summary>
public static class SnowflakePrivateKeys
{
    public sealed record Opened(RSA? Key, SettingsProblem? Problem);

    public static Opened Open(string pem, string? passphrase)
    {
        var encrypted = pem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal);
        if (encrypted && string.IsNullOrEmpty(passphrase))
            return Problem("/private_key_passphrase", "The private key is encrypted: give its private_key_passphrase.");
        if (!encrypted && passphrase is not null)
            return Problem("/private_key_passphrase", "The private key is not encrypted, so it takes no passphrase.");
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

    private static Opened Problem(string pointer, string message) => new(null, new SettingsProblem(pointer, message));
}
