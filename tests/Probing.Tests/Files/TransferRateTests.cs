using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Probing.Files;

namespace Sources.Probing.Tests.Files;

/// <summary>The minimum rate over a sliding window, on a clock the test moves.</summary>
public sealed class TransferRateTests
{
    private readonly FakeTimeProvider _time = new();

    private TransferRate Rate() => new(minBytesPerSecond: 1000, window: TimeSpan.FromSeconds(10), _time);

    [Fact]
    public void A_steady_transfer_at_the_rate_keeps_going()
    {
        var rate = Rate();
        for (var second = 0; second < 60; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(rate.Received(1000), $"second {second}");
        }
    }

    [Fact]
    public void A_trickle_below_the_rate_fails_once_a_window_has_passed()
    {
        var rate = Rate();
        var seconds = 0;
        for (; rate.Received(100); seconds++)
            _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(10, seconds);
    }

    [Fact]
    public void A_fast_start_does_not_buy_a_later_stall()
    {
        var rate = Rate();
        Assert.True(rate.Received(1_000_000));
        var seconds = 0;
        // A byte a second after a megabyte: the megabyte leaves the window, and the rate is what is left.
        for (; rate.Received(1); seconds++)
            _time.Advance(TimeSpan.FromSeconds(1));

        Assert.InRange(seconds, 10, 12);
    }

    [Fact]
    public void Before_a_window_has_passed_nothing_is_judged()
    {
        var rate = Rate();
        _time.Advance(TimeSpan.FromSeconds(9));

        Assert.True(rate.Received(1));
        Assert.True(rate.IsFastEnough());
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(rate.IsFastEnough());
    }
}
