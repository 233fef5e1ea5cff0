using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Sources.Silo.Grains.Keys;

/// <summary>
/// API keys: <c>sk_&lt;id&gt;_&lt;secret&gt;</c>. The id finds the key's grain; only a SHA-256
/// of the secret is stored. Creating, verifying and revoking all go through here.
/// A key verified by its grain is answered from this node's memory for a short <see cref="Lease"/>,
/// so most requests skip the grain call; a revoke returns only once every lease on the key has
/// ended, so from then on every node refuses it (see docs/keys.md).
/// </summary>
public sealed class ApiKeys(GrainReferences grains, TimeProvider time)
{
    private const string Prefix = "sk_";

    /// <summary>How long a node trusts a verification before it asks the key's grain again; the longest a revoke waits.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, TrustedKey> _trusted = new();

    /// <summary>When a lease that started at <paramref name="start"/> (a timestamp of this process) ends, plus a margin.</summary>
    internal static long LeaseEnd(TimeProvider time, long start, TimeSpan margin = default) =>
        start + (long)((Lease + margin).TotalSeconds * time.TimestampFrequency);

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
    public async ValueTask<string?> Verify(string value)
    {
        var (keyId, secret) = Split(value);
        var hash = Hash(secret);
        // Taken before asking, so this node's lease ends no later than the one the grain counts.
        var asked = time.GetTimestamp();
        if (_trusted.TryGetValue(keyId, out var trusted) && asked < trusted.Until && CryptographicOperations.FixedTimeEquals(trusted.Hash, hash))
            return trusted.Account;
        var account = await grains.GetGrain<IApiKeyGrain>(keyId).Verify(hash);
        if (account is not null)
            _trusted[keyId] = new TrustedKey(hash, account, LeaseEnd(time, asked));
        return account;
    }

    /// <summary>
    /// Revokes the keys and returns once no node accepts any of them: after the last lease a node
    /// may hold on them has ended (at most <see cref="Lease"/>, waited once for all the keys).
    /// </summary>
    /// <returns>For each key, whether it was live until now.</returns>
    public async Task<bool[]> Revoke(IReadOnlyList<string> keyIds)
    {
        var revocations = await Task.WhenAll(keyIds.Select(id => grains.GetGrain<IApiKeyGrain>(id).Revoke()));
        foreach (var id in keyIds)
        {
            _trusted.TryRemove(id, out _);
            await grains.GetGrain<IKeyRegistryGrain>(0).MarkRevoked(id);
        }
        var leases = revocations.Select(r => r.LeasesRunFor).DefaultIfEmpty(TimeSpan.Zero).Max();
        if (leases > TimeSpan.Zero)
            await Task.Delay(leases, time);
        return [.. revocations.Select(r => r.Revoked)];
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

    /// <param name="Until">When this node stops trusting the verification (a timestamp of this process).</param>
    private sealed record TrustedKey(byte[] Hash, string Account, long Until);
}
