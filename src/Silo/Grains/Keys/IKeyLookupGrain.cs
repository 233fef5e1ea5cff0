using Orleans.Concurrency;

namespace Sources.Silo.Grains.Keys;

/// <summary>
/// Whether a key id exists, read from storage without activating the key's grain. A stateless
/// worker runs on the silo that takes the call and is never registered in the grain directory, so
/// an invented id leaves nothing behind: addressing the key's own grain would activate it and put
/// an entry in the directory cache of every silo it passes (an LRU of up to a million entries by
/// default), which is memory an attacker could fill with made-up keys.
/// </summary>
[Alias("Sources.IKeyLookupGrain")]
public interface IKeyLookupGrain : IGrainWithIntegerKey
{
    /// <summary>True when the key exists and is not revoked.</summary>
    [Alias("IsLive"), ReadOnly]
    Task<bool> IsLive(string keyId);
}
