using Orleans.Concurrency;

namespace Sources.Silo.Grains.Keys;

/// <summary>
/// One API key, keyed by its public id (the part of the key before its secret). It keeps only
/// a hash of the secret. A node that verified the key here may answer it from memory for
/// <see cref="ApiKeys.Lease"/>; a revocation reports how long such a lease may still run, and
/// <see cref="ApiKeys.Revoke"/> waits that out, so once it returns every node refuses the key.
/// </summary>
[Alias("Sources.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    [Alias("Create")]
    Task Create(string account, byte[] secretHash);

    /// <summary>The key's account when the hash matches and the key is live (granting the caller a lease); whether the key is live at all.</summary>
    [Alias("Verify"), ReadOnly]
    Task<KeyCheck> Verify(byte[] secretHash);

    [Alias("Revoke")]
    Task<Revocation> Revoke();
}

/// <param name="Revoked">False when the key did not exist or was revoked already.</param>
/// <param name="LeasesRunFor">How much longer some node may still answer the key from a lease granted before.</param>
[GenerateSerializer, Immutable, Alias("Sources.Revocation")]
public sealed record Revocation([property: Id(0)] bool Revoked, [property: Id(1)] TimeSpan LeasesRunFor);

/// <param name="Account">The key's account when the secret matched a live key; otherwise null.</param>
/// <param name="Live">Whether the key exists and is not revoked (false: the caller may remember the id as unknown).</param>
[GenerateSerializer, Immutable, Alias("Sources.KeyCheck")]
public sealed record KeyCheck([property: Id(0)] string? Account, [property: Id(1)] bool Live);
