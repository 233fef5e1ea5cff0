using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>Real RSA-2048 keys in PKCS#8 PEM, as Snowflake and Google issue them; made once per run.</summary>
public static class TestKeys
{
    private static readonly RSA Key = RSA.Create(2048);
    private static readonly ConcurrentDictionary<string, string> Encrypted = new();

    public static string Pem { get; } = Key.ExportPkcs8PrivateKeyPem();

    /// <summary>The key encrypted under <paramref name="passphrase"/> ("BEGIN ENCRYPTED PRIVATE KEY").</summary>
    public static string EncryptedPem(string passphrase) => Encrypted.GetOrAdd(passphrase, p =>
        Key.ExportEncryptedPkcs8PrivateKeyPem(p, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));
}
