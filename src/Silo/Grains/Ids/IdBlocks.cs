namespace Sources.Silo.Grains.Ids;

/// <summary>
/// A node's current block of ids. One call in a thousand (by default) reaches the allocator;
/// ids a node does not spend before it stops are skipped, never reused.
/// </summary>
public sealed class IdBlocks(GrainReferences grains, int blockSize = 1000)
{
    private readonly SemaphoreSlim _refill = new(1, 1);
    private long _next;
    private long _end;

    public async Task<long> Next()
    {
        await _refill.WaitAsync();
        try
        {
            if (_next == _end)
            {
                _next = await grains.GetGrain<IIdAllocatorGrain>(0).Reserve(blockSize);
                _end = _next + blockSize;
            }
            return _next++;
        }
        finally
        {
            _refill.Release();
        }
    }
}
