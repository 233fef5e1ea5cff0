using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.Targets;

/// <summary>
/// Caps the failed sign-ins this node makes at one target (type, host, user; see
/// <see cref="ProbeTargets"/>): after <see cref="AuthFailureSettings.Max"/> <c>auth_failed</c>
/// results within <see cref="AuthFailureSettings.Window"/>, a probe of that target is answered
/// without contacting it until the oldest of those failures leaves the window. So Sources cannot
/// be used to guess a third party's password, nor to lock that account out (Snowflake locks a user
/// after 5 failed sign-ins), however many sources or accounts name it. A success clears the count.
/// Per node: a cluster of N nodes makes at most N × Max failed sign-ins per window at one target.
/// </summary>
/// <remarks>
/// The caller (the probe scheduler) asks <see cref="Refusal"/> before it probes, and when that
/// answers a result, stores it as the probe's result and does not probe; otherwise it probes and
/// hands the result to <see cref="Record"/>. Refusals must not be recorded, or a hold would extend itself.
/// </remarks>
public sealed class AuthFailureLimits(AuthFailureSettings limits, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Failures> _targets = new();
    private DateTimeOffset _lastSweep;

    /// <summary>A result to answer instead of probing while the target's cap holds; null when the probe may go ahead.</summary>
    public ProbeResult? Refusal(string type, JsonObject settings)
    {
        // With no failures counted anywhere (the usual case) the target is not even read from the settings.
        if (limits.Max <= 0 || _targets.IsEmpty || ProbeTargets.Of(type, settings) is not { } target || !_targets.TryGetValue(target, out var failures))
            return null;
        var now = time.GetUtcNow();
        if (failures.HeldUntil(now, limits) is not { } until)
            return null;
        return new ProbeResult
        {
            // auth_failed, not error: the hold is there because this target refused these sign-ins, the
            // fix is the user's (the credentials), and the auth-failure backoff of the schedule should go on.
            Outcome = ProbeOutcome.AuthFailed,
            Message = string.Create(CultureInfo.InvariantCulture,
                $"Sources is holding back: sign-ins as this user at this host failed {limits.Max} times within {Describe(limits.Window)}, so Sources will not try again before {until.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, to keep the account from being locked. Check the credentials; the first check after then signs in again."),
            CheckedAt = now,
        };
    }

    /// <summary>Counts a probe's result for its target: an <c>auth_failed</c> adds a failure, an <c>ok</c> clears them.</summary>
    public void Record(string type, JsonObject settings, ProbeResult result)
    {
        if (limits.Max <= 0 || result.Outcome is not (ProbeOutcome.AuthFailed or ProbeOutcome.Ok))
            return;
        if (result.Outcome == ProbeOutcome.Ok && _targets.IsEmpty)
            return; // nothing to clear

        if (ProbeTargets.Of(type, settings) is not { } target)
            return;
        var now = time.GetUtcNow();
        if (result.Outcome == ProbeOutcome.Ok)
        {
            _targets.TryRemove(target, out _);
            return;
        }
        _targets.GetOrAdd(target, _ => new Failures()).Add(now, limits);
        SweepNowAndThen(now);
    }

    /// <summary>How many targets this node counts failures for (for tests and metrics).</summary>
    public int Tracked => _targets.Count;

    /// <summary>Forgets targets whose failures have all left the window, once per window at most, so memory follows recent failures only.</summary>
    private void SweepNowAndThen(DateTimeOffset now)
    {
        if (now - _lastSweep < limits.Window) return;
        _lastSweep = now;
        foreach (var (target, failures) in _targets)
            if (failures.Expired(now, limits))
                _targets.TryRemove(target, out _);
    }

    private static string Describe(TimeSpan window) =>
        window.TotalMinutes >= 1 && window.TotalSeconds % 60 == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{window.TotalMinutes:0} min")
            : string.Create(CultureInfo.InvariantCulture, $"{window.TotalSeconds:0} s");

    /// <summary>The times of a target's most recent failures, at most Max of them.</summary>
    private sealed class Failures
    {
        private readonly Queue<DateTimeOffset> _times = new();

        public void Add(DateTimeOffset now, AuthFailureSettings settings)
        {
            lock (_times)
            {
                Drop(now, settings);
                _times.Enqueue(now);
                while (_times.Count > settings.Max) _times.Dequeue();
            }
        }

        /// <summary>When the cap stops holding (the oldest counted failure leaves the window); null when it does not hold.</summary>
        public DateTimeOffset? HeldUntil(DateTimeOffset now, AuthFailureSettings settings)
        {
            lock (_times)
            {
                Drop(now, settings);
                return _times.Count >= settings.Max ? _times.Peek() + settings.Window : null;
            }
        }

        public bool Expired(DateTimeOffset now, AuthFailureSettings settings)
        {
            lock (_times)
            {
                Drop(now, settings);
                return _times.Count == 0;
            }
        }

        private void Drop(DateTimeOffset now, AuthFailureSettings settings)
        {
            while (_times.Count > 0 && _times.Peek() + settings.Window <= now) _times.Dequeue();
        }
    }
}

/// <summary>Configuration "Sources:Probe:AuthFailures".</summary>
public sealed class AuthFailureSettings
{
    /// <summary>Failed sign-ins at one target within <see cref="Window"/> after which this node holds back; 0 turns the cap off.</summary>
    public int Max { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}
