using Orleans.Concurrency;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Grains.Sources;

/// <summary>Stateless: a page is one indexed read of the schema pages table, on whichever node takes the call.</summary>
[StatelessWorker, Reentrant]
public sealed class SchemaPageGrain(SchemaPageStore pages) : Grain, ISchemaPageGrain
{
    public Task<string?> Page(long sourceId, DateTimeOffset checkedAt, int page) => pages.Read(sourceId, checkedAt, page);
}
