using System.Security.Cryptography;
using System.Text;
using Orleans.Concurrency;

namespace Sources.Silo.Grains.KeyPairs;

/// <summary>
/// One Snowflake key pair Sources generated, keyed by the owning account and the public key's
/// fingerprint: a create that names the public key finds its private key here, and another
/// account naming the same key finds nothing. The private key arrives sealed from the edge.
/// </summary>
[Alias("Sources.ISnowflakeKeyPairGrain")]
public interface ISnowflakeKeyPairGrain : IGrainWithStringKey
{
    /// <summary>Keeps the pair; false when this key is already kept.</summary>
    [Alias("Store")]
    Task<bool> Store(string publicKey, byte[] sealedPrivateKey);

    [Alias("Get"), ReadOnly]
    Task<SnowflakeKeyPair?> Get();

    /// <summary>The grain's key: the account and the key's fingerprint.</summary>
    public static string KeyOf(string account, string fingerprint) => account + "\n" + fingerprint;

    /// <summary>
    /// What the private key is sealed under in place of a source id: derived from the grain key and
    /// always negative, so it never equals a source's id and a box copied to another pair does not open.
    /// </summary>
    public static long SealContext(string account, string fingerprint) =>
        -1 - (BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("snowflake-key-pair\n" + KeyOf(account, fingerprint)))) & long.MaxValue);
}

[GenerateSerializer, Alias("Sources.SnowflakeKeyPair")]
public sealed record SnowflakeKeyPair
{
    [Id(0)] public string PublicKey { get; init; } = "";
    [Id(1)] public byte[] SealedPrivateKey { get; init; } = [];
    [Id(2)] public DateTimeOffset CreatedAt { get; init; }
}
