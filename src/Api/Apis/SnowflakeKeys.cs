using System.Text;
using Sources.Contracts;
using Sources.Silo.Grains;
using Sources.Silo.Grains.KeyPairs;
using Sources.Silo.Probing.Snowflake;
using Sources.Silo.Secrets;

namespace Sources.Api.Apis;

/// <summary>
/// Snowflake key pairs at the edge: a create with no credential gets a new pair, one that names
/// a public_key gets the private key Sources holds for it, and a public key Sources did not
/// generate is refused, since Sources must hold the private key to sign in. Pairs are kept
/// sealed in a grain per account and fingerprint.
/// </summary>
public sealed class SnowflakeKeys(GrainReferences grains, SnowflakeKeyPairs pairs, SecretSealer sealer)
{
    /// <summary>What a Snowflake create adds to the stored source: the public key in its settings, the private key in its secrets.</summary>
    public sealed record Prepared(string PublicKey, string PrivateKeyPem, string PublicKeySql);

    public sealed record Outcome(Prepared? Keys, SchemaError? Problem);

    public async Task<Outcome> Prepare(string account, ICreateSourceRequest request)
    {
        if (request is not SnowflakeConnectionRequest snowflake || snowflake.Password is not null || snowflake.PrivateKey is not null)
            return new(null, null);
        if (snowflake.PublicKey is null)
        {
            var pair = await Create(account);
            return new(new Prepared(pair.PublicKey, pair.PrivateKeyPem, SnowflakeKeyPairs.PublicKeySql(snowflake.User, pair.PublicKey)), null);
        }
        var publicKey = SnowflakeKeyPairs.NormalisePublicKey(snowflake.PublicKey);
        if (publicKey is null || await Held(account, publicKey) is not { } privateKey)
            return new(null, new SchemaError("/public_key", "invalid_value",
                "Sources did not generate this public key, and Sources must hold the private key of the pair it signs in with: " +
                "create a pair with POST /api/v1/sources/snowflake/key-pairs/, send no public_key to get a new pair, or send your own private_key."));
        return new(new Prepared(publicKey, privateKey, SnowflakeKeyPairs.PublicKeySql(snowflake.User, publicKey)), null);
    }

    /// <summary>A new pair, its private key sealed and kept for the account.</summary>
    public async Task<SnowflakeKeyPairs.KeyPair> Create(string account)
    {
        var pair = pairs.Generate();
        var context = ISnowflakeKeyPairGrain.SealContext(account, pair.Fingerprint);
        var sealedKey = sealer.Seal(Encoding.UTF8.GetBytes(pair.PrivateKeyPem), context);
        if (!await grains.GetGrain<ISnowflakeKeyPairGrain>(ISnowflakeKeyPairGrain.KeyOf(account, pair.Fingerprint)).Store(pair.PublicKey, sealedKey))
            throw new InvalidOperationException("A freshly generated key pair was already stored.");
        return pair;
    }

    private async Task<string?> Held(string account, string publicKey)
    {
        var fingerprint = SnowflakeKeyPairs.Fingerprint(publicKey);
        var held = await grains.GetGrain<ISnowflakeKeyPairGrain>(ISnowflakeKeyPairGrain.KeyOf(account, fingerprint)).Get();
        return held is null ? null : Encoding.UTF8.GetString(sealer.Unseal(held.SealedPrivateKey, ISnowflakeKeyPairGrain.SealContext(account, fingerprint)));
    }
}
