using Sources.Silo.Grains;
using Sources.Silo.Grains.Ids;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Listing;

namespace Sources.Api.Apis;

/// <summary>What the sources handlers need, in one parameter.</summary>
public sealed record SourceServices(GrainReferences Grains, IdBlocks Ids, SourceConfigs Configs, ActiveSources Active, SourcePages Listing, LostNodeRetry Retry);
