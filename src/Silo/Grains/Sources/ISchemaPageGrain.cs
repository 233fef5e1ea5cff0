namespace Sources.Silo.Grains.Sources;

/// <summary>
/// Reads the stored pages of sources' discoveries, on any node (the API of a client-only node has
/// no storage of its own). Callers check first that the source is the caller's account's.
/// </summary>
[Alias("Sources.ISchemaPageGrain")]
public interface ISchemaPageGrain : IGrainWithIntegerKey
{
    /// <summary>Page <paramref name="page"/> (2 or more) of the check at <paramref name="checkedAt"/>; null when the source holds no such page of it.</summary>
    [Alias("Page")]
    Task<string?> Page(long sourceId, DateTimeOffset checkedAt, int page);
}
