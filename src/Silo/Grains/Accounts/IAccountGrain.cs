using Orleans.Concurrency;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Grains.Accounts;

/// <summary>One account's sources, in the order they were created (a read of the sources table).</summary>
[Alias("Sources.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Up to <paramref name="limit"/> sources created before <paramref name="beforeSequence"/>, newest first.</summary>
    [Alias("Page"), ReadOnly]
    Task<SourceListEntry[]> Page(long beforeSequence, int limit, string? type);

    /// <summary>How many sources the account holds (for its quota).</summary>
    [Alias("Count"), ReadOnly]
    Task<int> Count();
}
