using Orleans.Concurrency;

namespace Sources.Silo.Grains.Keys;

/// <summary>The list of every key (never its secret), for key management and the first start.</summary>
[Alias("Sources.IKeyRegistryGrain")]
public interface IKeyRegistryGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task Add(KeyInfo key);

    [Alias("MarkRevoked")]
    Task<bool> MarkRevoked(string keyId);

    [Alias("List"), ReadOnly]
    Task<KeyInfo[]> List(string? account);
}

[GenerateSerializer, Alias("Sources.KeyInfo")]
public sealed record KeyInfo(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string Account,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] bool Revoked);
