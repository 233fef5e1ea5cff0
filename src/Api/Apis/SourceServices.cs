using Sources.Silo.Grains;
using Sources.Silo.Grains.Ids;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Listing;

namespace Sources.Api.Apis;

/// <summary>What the sources handlers need, in one parameter.</summary>
public sealed record SourceServices(GrainReferences Grains, IdBlocks Ids, SourceConfigs Configs, ActiveSources Active, SourcePages Listing, LostNodeRetry Retry)
{
    /// <summary>
    /// The source as a get shows it: where its grain left it when that grain is active on this
    /// node, else asked of the grain (again, if the node holding it was lost); null when the
    /// account holds no such source.
    /// </summary>
    public async Task<SourceRecord?> Read(long id, string account) =>
        Active.TryGet(id, account, out var record)
            ? record
            : await Retry.Run(() => Grains.GetGrain<ISourceGrain>(id).Get(account));
}
