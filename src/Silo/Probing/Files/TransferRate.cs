namespace Sources.Silo.Probing.Files;

/// <summary>
/// Whether a download keeps up with the minimum rate over a sliding window. A server that
/// sends a byte now and then never trips an idle timeout, so the rate is what catches a trickle:
/// once a whole window has passed, the bytes of the last window must come to the rate.
/// </summary>
public sealed class TransferRate(long minBytesPerSecond, TimeSpan window, TimeProvider time)
{
    private readonly Queue<(long At, long Total)> _samples = new();
    private readonly long _started = time.GetTimestamp();
    private long _total;

    /// <summary>Counts <paramref name="bytes"/> more; false once the last window brought less than the rate.</summary>
    public bool Received(long bytes)
    {
        _total += bytes;
        var now = time.GetTimestamp();
        // One sample per twentieth of the window at most: a fast download reads thousands of times per window.
        if (_samples.Count == 0 || time.GetElapsedTime(_samples.Last().At, now) >= window / 20)
            _samples.Enqueue((now, _total));
        // Keep the newest sample at least a window old as the window's start.
        while (_samples.Count > 1 && time.GetElapsedTime(_samples.ElementAt(1).At, now) >= window)
            _samples.Dequeue();
        return IsFastEnough(now);
    }

    /// <summary>False once a window has passed and the last one brought less than the rate (also between reads).</summary>
    public bool IsFastEnough() => IsFastEnough(time.GetTimestamp());

    private bool IsFastEnough(long now)
    {
        if (time.GetElapsedTime(_started, now) < window) return true;
        var (at, total) = _samples.Count > 0 && time.GetElapsedTime(_samples.Peek().At, now) >= window ? _samples.Peek() : (_started, 0L);
        var seconds = time.GetElapsedTime(at, now).TotalSeconds;
        return (_total - total) >= minBytesPerSecond * seconds;
    }
}
