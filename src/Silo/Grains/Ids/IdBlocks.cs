namespace Sources.Silo.Grains.Ids;

/// <summary>
/// A node's current block of ids. One call in a thousand (by default) reaches the allocator;
/// ids a node does not spend before it stops are skipped, never reused. That makes a reservation
/// safe to repeat after a lost node: a block reserved by the attempt cut off is skipped too.
/// </summary>
public sealed class IdBlocks(GrainReferences grains, LostNodeRetry? retry = null, int blockSize = 1000)
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
                var allocator = grains.GetGrain<IIdAllocatorGrain>(0);
                _next = retry is null ? await allocator.Reserve(blockSize) : await retry.Run(() => allocator.Reserve(blockSize));
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
