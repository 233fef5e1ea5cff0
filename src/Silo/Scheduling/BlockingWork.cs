namespace Sources.Silo.Scheduling;

/// <summary>
/// Runs calls that block a thread (DuckDB, XLSX parsing, PBKDF2) on dedicated threads, at most
/// <c>limit</c> at once, so a burst of them never starves the thread pool that every
/// asynchronous probe and request shares. A call waits for a thread only as long as its token
/// allows; once running it is not pre-empted, so callers pass the token on to whatever can be
/// interrupted (DuckDB's interrupt, a cancellable stream).
/// </summary>
public sealed class BlockingWork
{
    /// <summary>No bound: each call gets a thread of its own. For tools and tests that run one probe.</summary>
    public static BlockingWork Unbounded { get; } = new(int.MaxValue);

    private readonly SemaphoreSlim? _threads;
    private readonly HeavyWorkMark? _mark;

    public BlockingWork(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        _threads = limit == int.MaxValue ? null : new SemaphoreSlim(limit, limit);
    }

    private BlockingWork(BlockingWork pool, HeavyWorkMark mark)
    {
        Limit = pool.Limit;
        _threads = pool._threads;
        _mark = mark;
    }

    /// <summary>The same threads, for one probe whose blocking calls are marked first (<see cref="HeavyWorkMark"/>).</summary>
    internal BlockingWork Marking(HeavyWorkMark mark) => new(this, mark);

    public int Limit { get; }

    /// <summary>Calls running now.</summary>
    public int Running => _threads is null ? 0 : Limit - _threads.CurrentCount;

    public async Task<T> Run<T>(Func<CancellationToken, T> work, CancellationToken cancellation)
    {
        if (_mark is not null)
            await _mark.Written().WaitAsync(cancellation).ConfigureAwait(false);
        if (_threads is not null)
            await _threads.WaitAsync(cancellation).ConfigureAwait(false);
        try
        {
            return await Task.Factory.StartNew(() => work(cancellation), cancellation,
                TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _threads?.Release();
        }
    }

    public Task Run(Action<CancellationToken> work, CancellationToken cancellation) =>
        Run<bool>(token => { work(token); return true; }, cancellation);
}
