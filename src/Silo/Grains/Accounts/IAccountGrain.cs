using Orleans.Concurrency;

namespace Sources.Silo.Grains.Accounts;

/// <summary>The index of one account's sources, in the order they were created.</summary>
[Alias("Sources.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task Add(long id, string type);

    [Alias("Remove")]
    Task Remove(long id);

    /// <summary>Up to <paramref name="limit"/> entries older than <paramref name="beforeSequence"/>, newest first.</summary>
    [Alias("Page"), ReadOnly]
    Task<AccountEntry[]> Page(long beforeSequence, int limit, string? type);
}

[GenerateSerializer, Alias("Sources.AccountEntry")]
public sealed record AccountEntry([property: Id(0)] long Sequence, [property: Id(1)] long Id, [property: Id(2)] string Type);
