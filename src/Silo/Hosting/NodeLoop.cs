namespace Sources.Silo.Hosting;

/// <summary>
/// Work a silo does by itself, once at its start and then every period until it stops: the health
/// sweep, the FILE folder sweep, the expiry of idempotency records. A round that fails is reported
/// and the next tick tries again (the database or the disk may be away for a while); stopping
/// cancels the wait and the round in progress, and waits for it to end.
/// </summary>
internal sealed class NodeLoop(TimeSpan period, TimeProvider time, Func<CancellationToken, Task> round, Action<Exception> failed)
{
    private CancellationTokenSource? _stop;
    private Task? _running;

    public Task Start(CancellationToken _)
    {
        _stop = new CancellationTokenSource();
        // The loop runs until Stop, not until the start-up that started it is cancelled.
        _running = Task.Run(() => Run(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task Stop(CancellationToken _)
    {
        if (_stop is null) return;
        await _stop.CancelAsync();
        try
        {
            await _running!;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task Run(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(period, time);
        do
        {
            try
            {
                await round(stop);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                failed(ex);
            }
        } while (await timer.WaitForNextTickAsync(stop));
    }
}
