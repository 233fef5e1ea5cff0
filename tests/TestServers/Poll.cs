namespace Sources.TestServers;

/// <summary>
/// Waits for something another thread or process brings about by asking for it again and again,
/// never by sleeping a guessed time; fails with what was awaited after a generous limit.
/// </summary>
public static class Poll
{
    /// <summary>The first non-null answer of <paramref name="ask"/>, asked every <paramref name="every"/> for up to <paramref name="within"/>.</summary>
    public static async Task<T> Until<T>(Func<Task<T?>> ask, TimeSpan every, TimeSpan within, string what) where T : class
    {
        using var limit = new CancellationTokenSource(within);
        using var tick = new PeriodicTimer(every);
        try
        {
            do
            {
                if (await ask() is { } answer)
                    return answer;
            }
            while (await tick.WaitForNextTickAsync(limit.Token));
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
        }
        throw new TimeoutException($"Never came about within {within.TotalSeconds:0} s: {what}.");
    }

    public static Task<T> Until<T>(Func<T?> ask, TimeSpan every, TimeSpan within, string what) where T : class =>
        Until(() => Task.FromResult(ask()), every, within, what);
}
