using System.Security.Cryptography;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>
/// Key pairs for Snowflake's key-pair authentication: RSA-2048, the private key as PKCS#8 PEM
/// (what Sources seals), the public key as base64 SPKI DER without PEM armour (what
/// <c>ALTER USER ... SET RSA_PUBLIC_KEY</c> takes), and the fingerprint Snowflake shows as
/// RSA_PUBLIC_KEY_FP and expects in a JWT's issuer.
/// </summary>
public sealed class SnowflakeKeyPairs
{
    public const int KeySize = 2048;

    public sealed record KeyPair(string PrivateKeyPem, string PublicKey)
    {
        public string Fingerprint => SnowflakeKeyPairs.Fingerprint(PublicKey);
    }

    public KeyPair Generate()
    {
        using var rsa = RSA.Create(KeySize);
        return new KeyPair(rsa.ExportPkcs8PrivateKeyPem(), Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The public key (base64 SPKI) of a private key.</summary>
    public static string PublicKeyOf(RSA privateKey) => Convert.ToBase64String(privateKey.ExportSubjectPublicKeyInfo());

    /// <summary>"SHA256:" and the base64 SHA-256 of the SPKI DER, as Snowflake computes it.</summary>
    public static string Fingerprint(string publicKey) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(publicKey)));

    /// <summary>A public key given back to Sources in a normal form (no armour, no whitespace), or null when it is none.</summary>
    public static string? NormalisePublicKey(string text)
    {
        var body = string.Concat(text
            .Replace("-----BEGIN PUBLIC KEY-----", "", StringComparison.Ordinal)
            .Replace("-----END PUBLIC KEY-----", "", StringComparison.Ordinal)
            .Where(c => !char.IsWhiteSpace(c)));
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(body), out var read);
            return read > 0 ? PublicKeyOf(rsa) : null;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>The statement that registers <paramref name="publicKey"/> with <paramref name="user"/>.</summary>
    public static string PublicKeySql(string user, string publicKey) =>
        $"ALTER USER {QuoteIdentifier(user)} SET RSA_PUBLIC_KEY='{publicKey}';";

    /// <summary>
    /// A Snowflake identifier as SQL must spell it: bare when it is an unquoted identifier
    /// (a letter or '_', then letters, digits, '_' or '$'; Snowflake folds it to upper case, as it
    /// stores such user names), else in double quotes with inner double quotes doubled.
    /// </summary>
    public static string QuoteIdentifier(string name)
    {
        var bare = name.Length > 0
            && (char.IsAsciiLetter(name[0]) || name[0] == '_')
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');
        return bare ? name : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
