using Orleans.Concurrency;

namespace Sources.Silo.Grains.Keys;

/// <summary>
/// One API key, keyed by its public id (the part of the key before its secret). It keeps only
/// a hash of the secret; every request asks it, so a revocation holds on every node at once.
/// </summary>
[Alias("Sources.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task Create(string account, byte[] secretHash);

    /// <summary>The key's account when the hash matches and the key is live; otherwise null.</summary>
    [Alias("Verify"), ReadOnly]
    Task<string?> Verify(byte[] secretHash);

    [Alias("Revoke")]
    Task<bool> Revoke();
}
