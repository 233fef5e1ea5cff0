using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Grains;
using Sources.Silo.Hosting;

namespace Sources.Silo.Tests.Grains;

/// <summary>A call that met a lost node is tried again within the budget; anything else, and a call past the budget, fails as it failed.</summary>
public sealed class LostNodeRetryTests
{
    private readonly PausingClock _time = new();

    private LostNodeRetry Retry(TimeSpan budget) => new(new ClusterFailoverSettings { LostNodeRetry = budget }, _time);

    /// <summary>Runs the call to its end: each time it pauses, the fake clock moves on by exactly that pause.</summary>
    private async Task<T> Drive<T>(Task<T> call)
    {
        while (true)
        {
            var paused = _time.Paused();
            if (await Task.WhenAny(call, paused) == call)
                return await call;
            _time.Advance(_time.LastPause);
        }
    }

    /// <summary>A fake clock that says when a timer is set and for how long.</summary>
    private sealed class PausingClock : FakeTimeProvider
    {
        private readonly SemaphoreSlim _paused = new(0);

        public TimeSpan LastPause { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            LastPause = dueTime;
            _paused.Release();
            return timer;
        }

        public Task Paused() => _paused.WaitAsync();
    }

    [Fact]
    public async Task A_call_refused_by_a_lost_node_is_tried_again_until_it_answers()
    {
        var attempts = new List<int>();
        var answer = await Drive(Retry(TimeSpan.FromSeconds(10)).Run(attempt =>
        {
            attempts.Add(attempt);
            return attempt switch
            {
                1 => throw new SiloUnavailableException("declared dead"),
                2 => throw new InvalidOperationException("wrapped", new SiloUnavailableException("no connection")),
                _ => Task.FromResult("answered"),
            };
        }));
        Assert.Equal("answered", answer);
        Assert.Equal([1, 2, 3], attempts);
    }

    [Fact]
    public async Task A_call_that_timed_out_is_not_repeated()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<TimeoutException>(() => Drive(Retry(TimeSpan.FromSeconds(10)).Run<int>(_ =>
        {
            attempts++;
            throw new TimeoutException();
        })));
        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Past_the_budget_the_lost_node_failure_reaches_the_caller()
    {
        var budget = TimeSpan.FromSeconds(3);
        var attempts = 0;
        var started = _time.GetTimestamp();
        await Assert.ThrowsAsync<SiloUnavailableException>(() => Drive(Retry(budget).Run<int>(_ =>
        {
            attempts++;
            throw new SiloUnavailableException();
        })));
        // Pauses of 0.1, 0.2, 0.4, 0.8 and 1 s fit in 3 s; one more second would not.
        Assert.Equal(6, attempts);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), _time.GetElapsedTime(started));
    }

    [Fact]
    public async Task A_budget_of_zero_tries_once()
    {
        var attempts = 0;
        await Assert.ThrowsAsync<SiloUnavailableException>(() => Drive(Retry(TimeSpan.Zero).Run<int>(_ =>
        {
            attempts++;
            throw new SiloUnavailableException();
        })));
        Assert.Equal(1, attempts);
    }
}
