using System.Collections.Concurrent;

namespace Sources.Silo.Grains.Keys;

/// <summary>
/// The node's memory of key ids found not to exist (or revoked), in storage or by their grain, so a client
/// repeating an unknown key is answered without asking again. Bounded both ways: at most
/// <see cref="KeyCacheSettings.UnknownIds"/> ids, each for <see cref="KeyCacheSettings.UnknownFor"/>.
/// When it is full of live entries a new unknown id is not remembered (it is asked about again
/// next time), so a flood of invented ids cannot make it grow.
/// </summary>
internal sealed class UnknownKeys(KeyCacheSettings settings, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, long> _until = new();
    private long _lastSweep;

    public bool Contains(string keyId)
    {
        if (!_until.TryGetValue(keyId, out var until)) return false;
        if (time.GetTimestamp() < until) return true;
        _until.TryRemove(keyId, out _);
        return false;
    }

    public void Add(string keyId)
    {
        if (settings.UnknownIds <= 0 || settings.UnknownFor <= TimeSpan.Zero) return;
        var now = time.GetTimestamp();
        if (_until.Count >= settings.UnknownIds && !SweepExpired(now)) return;
        _until[keyId] = now + (long)(settings.UnknownFor.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>A key created on this node is known from now on.</summary>
    public void Forget(string keyId) => _until.TryRemove(keyId, out _);

    public int Count => _until.Count;

    /// <summary>Drops expired entries, at most once per half lifetime (a full sweep is a pass over every entry); true when room was made.</summary>
    private bool SweepExpired(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (time.GetElapsedTime(last, now) >= settings.UnknownFor / 2 && Interlocked.CompareExchange(ref _lastSweep, now, last) == last)
            foreach (var entry in _until)
                if (entry.Value <= now) _until.TryRemove(entry.Key, out _);
        return _until.Count < settings.UnknownIds;
    }
}

/// <summary>Configuration "Sources:Keys".</summary>
public sealed class KeyCacheSettings
{
    /// <summary>How many unknown key ids a node remembers at most.</summary>
    public int UnknownIds { get; set; } = 10_000;

    /// <summary>How long a node remembers that a key id is unknown: the longest a key created later may be refused on a node that was asked for it before.</summary>
    public TimeSpan UnknownFor { get; set; } = TimeSpan.FromSeconds(30);
}
