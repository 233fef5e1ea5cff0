using System.Security.Cryptography;
using System.Text;

namespace Sources.Silo.Grains.Keys;

/// <summary>
/// API keys: <c>sk_&lt;id&gt;_&lt;secret&gt;</c>. The id finds the key's grain; only a SHA-256
/// of the secret is stored. Creating, verifying and revoking all go through here.
/// </summary>
public sealed class ApiKeys(GrainReferences grains, TimeProvider time)
{
    private const string Prefix = "sk_";

    /// <summary>Creates a key for the account; the value returned is shown once and kept nowhere.</summary>
    public Task<string> Create(string account) =>
        Create(account, $"{Prefix}{RandomNumberGenerator.GetHexString(12, lowercase: true)}_{NewSecret()}");

    /// <summary>Registers a key whose value is given, such as SOURCES_BOOTSTRAP_API_KEY.</summary>
    public async Task<string> Create(string account, string value)
    {
        var (keyId, secret) = Split(value);
        await grains.GetGrain<IApiKeyGrain>(keyId).Create(account, Hash(secret));
        await grains.GetGrain<IKeyRegistryGrain>(0).Add(new KeyInfo(keyId, account, time.GetUtcNow(), false));
        return value;
    }

    /// <summary>The account of a live key, or null for anything else.</summary>
    public Task<string?> Verify(string value)
    {
        var (keyId, secret) = Split(value);
        return grains.GetGrain<IApiKeyGrain>(keyId).Verify(Hash(secret));
    }

    public async Task<bool> Revoke(string keyId)
    {
        var revoked = await grains.GetGrain<IApiKeyGrain>(keyId).Revoke();
        await grains.GetGrain<IKeyRegistryGrain>(0).MarkRevoked(keyId);
        return revoked;
    }

    public Task<KeyInfo[]> List(string? account) => grains.GetGrain<IKeyRegistryGrain>(0).List(account);

    /// <summary>
    /// Our keys carry their id; a key of another form (an operator's own value) is found by a
    /// hash of the whole value instead, and the whole value is its secret.
    /// </summary>
    private static (string KeyId, string Secret) Split(string value)
    {
        if (value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var separator = value.IndexOf('_', Prefix.Length);
            if (separator > Prefix.Length && separator < value.Length - 1)
                return (value[Prefix.Length..separator], value[(separator + 1)..]);
        }
        return ("v" + Convert.ToHexStringLower(Hash(value))[..16], value);
    }

    private static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
