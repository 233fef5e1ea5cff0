namespace Sources.Silo.Grains.Ids;

/// <summary>
/// Hands out blocks of source ids. Each node takes a block and spends it locally, so a
/// create costs no round trip to a global counter; ids are unique and never reused.
/// </summary>
[Alias("Sources.IIdAllocatorGrain")]
public interface IIdAllocatorGrain : IGrainWithIntegerKey
{
    /// <summary>Reserves <paramref name="size"/> ids and answers the first of them.</summary>
    [Alias("Reserve")]
    Task<long> Reserve(int size);
}
