using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sources.Silo.Grains.Keys;

/// <summary>
/// API keys: <c>sk_&lt;id&gt;_&lt;secret&gt;</c>. The id finds the key's grain; only a SHA-256
/// of the secret is stored. Creating, verifying and revoking all go through here.
/// A key verified by its grain is answered from this node's memory for a short <see cref="Lease"/>,
/// so most requests skip the grain call; a revoke returns only once every lease on the key has
/// ended, so from then on every node refuses it (see docs/keys.md).
/// A value not shaped like a key (<see cref="KeyShape"/>) is refused without any lookup; an id this
/// node never saw verify is looked up in storage (<see cref="IKeyLookupGrain"/>) before its grain is
/// addressed; an id found unknown is refused from <see cref="UnknownKeys"/> for a short while.
/// Both reads of a verification are tried again when they meet a lost node (<see cref="LostNodeRetry"/>).
/// </summary>
public sealed class ApiKeys(GrainReferences grains, TimeProvider time, KeyCacheSettings? cache = null, ILogger<ApiKeys>? log = null, LostNodeRetry? retry = null)
{
    private readonly UnknownKeys _unknown = new(cache ?? new KeyCacheSettings(), time);
    private readonly ILogger _log = log ?? NullLogger<ApiKeys>.Instance;

    /// <summary>How long a node trusts a verification before it asks the key's grain again; the longest a revoke waits.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, TrustedKey> _trusted = new();

    /// <summary>When a lease that started at <paramref name="start"/> (a timestamp of this process) ends, plus a margin.</summary>
    internal static long LeaseEnd(TimeProvider time, long start, TimeSpan margin = default) =>
        start + (long)((Lease + margin).TotalSeconds * time.TimestampFrequency);

    /// <summary>Creates a key for the account; the value returned is shown once and kept nowhere.</summary>
    public Task<string> Create(string account) =>
        Create(account, $"{KeyShape.Prefix}{RandomNumberGenerator.GetHexString(12, lowercase: true)}_{NewSecret()}");

    /// <summary>Registers a key whose value is given, such as SOURCES_BOOTSTRAP_API_KEY.</summary>
    /// <exception cref="ArgumentException">The value is not shaped like a key (<see cref="KeyShape.Rule"/>).</exception>
    public async Task<string> Create(string account, string value)
    {
        if (!KeyShape.TryParse(value, out var keyId, out var secret))
            throw new ArgumentException(KeyShape.Rule, nameof(value));
        await grains.GetGrain<IApiKeyGrain>(keyId).Create(account, Hash(secret));
        _unknown.Forget(keyId);
        await grains.GetGrain<IKeyRegistryGrain>(0).Add(new KeyInfo(keyId, account, time.GetUtcNow(), false));
        return value;
    }

    /// <summary>The account of a live key, or null for anything else.</summary>
    public async ValueTask<string?> Verify(string value)
    {
        if (!KeyShape.TryParse(value, out var keyId, out var secret))
        {
            KeyMetrics.WrongShape();
            return null;
        }
        var hash = Hash(secret);
        // Taken before asking, so this node's lease ends no later than the one the grain counts.
        var asked = time.GetTimestamp();
        if (_trusted.TryGetValue(keyId, out var trusted) && asked < trusted.Until && CryptographicOperations.FixedTimeEquals(trusted.Hash, hash))
        {
            KeyMetrics.LeaseHit();
            return trusted.Account;
        }
        if (_unknown.Contains(keyId))
        {
            KeyMetrics.KnownUnknown();
            return null;
        }
        // An id this node never saw verify is first looked up in storage, so an invented one
        // activates no grain and leaves no entry in the grain directory's cache.
        if (trusted is null && !await Read(() => grains.GetGrain<IKeyLookupGrain>(0).IsLive(keyId)))
        {
            _log.LogDebug("Key lookup: {KeyId} read from storage, not live", Named(keyId));
            KeyMetrics.LookedUp();
            _unknown.Add(keyId);
            return null;
        }
        _log.LogDebug("Key lookup: {KeyId} asked of its grain", Named(keyId));
        KeyMetrics.AskedGrain();
        var check = await Read(() => grains.GetGrain<IApiKeyGrain>(keyId).Verify(hash));
        if (check.Account is not null)
            _trusted[keyId] = new TrustedKey(hash, check.Account, LeaseEnd(time, asked));
        else if (!check.Live)
            // Only a key that does not exist (or is revoked for good): a wrong secret for a live
            // key must not make this node refuse that key's owner.
            _unknown.Add(keyId);
        return check.Account;
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
            _unknown.Add(id);
            await grains.GetGrain<IKeyRegistryGrain>(0).MarkRevoked(id);
        }
        var leases = revocations.Select(r => r.LeasesRunFor).DefaultIfEmpty(TimeSpan.Zero).Max();
        if (leases > TimeSpan.Zero)
            await Task.Delay(leases, time);
        return [.. revocations.Select(r => r.Revoked)];
    }

    private Task<T> Read<T>(Func<Task<T>> read) => retry is null ? read() : retry.Run(read);

    public Task<KeyInfo[]> List(string? account) => grains.GetGrain<IKeyRegistryGrain>(0).List(account);

    /// <summary>How a key id is named in logs: the id of an operator's own value is a hash of its secret, so only ours are named.</summary>
    private static string Named(string keyId) => keyId.StartsWith('v') ? "(an operator's own value)" : keyId;

    private static string NewSecret() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    /// <param name="Until">When this node stops trusting the verification (a timestamp of this process).</param>
    private sealed record TrustedKey(byte[] Hash, string Account, long Until);
}
