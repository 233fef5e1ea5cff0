using Sources.Silo.Probing;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// The status a source shows, from its last probe and the expiry of its credentials, as of
/// now: an expired token makes a source failing the moment it expires, with no probe needed.
/// </summary>
public static class SourceHealth
{
    public static string StatusAt(SourceRecord record, DateTimeOffset now, ProbeSettings settings)
    {
        var standing = Standing(record);
        if (record.CredentialExpiresAt is { } expires && expires <= now)
            return SourceStatus.Failing;
        if (standing == SourceStatus.Healthy && record.CredentialExpiresAt is { } soon && soon - now <= settings.ExpiryWarning)
            return SourceStatus.Degraded;
        return standing;
    }

    /// <summary>
    /// The status from the last probe alone, time left out: the sources table keeps it, and a listing
    /// takes the credential's expiry into account in its query the way <see cref="StatusAt"/> does.
    /// </summary>
    public static string Standing(SourceRecord record)
    {
        if (record.LastProbe is not { } probe)
            return HoldsUnprovenKeyPair(record) ? SourceStatus.AwaitingKeyRegistration : SourceStatus.Pending;
        return probe.Outcome switch
        {
            ProbeOutcome.Ok when probe.Warnings.Length > 0 => SourceStatus.Degraded,
            ProbeOutcome.Ok => SourceStatus.Healthy,
            ProbeOutcome.AwaitingKeyRegistration => SourceStatus.AwaitingKeyRegistration,
            _ => SourceStatus.Failing,
        };
    }

    /// <summary>
    /// A Snowflake source on a key pair Sources generated (its settings show the public key):
    /// until a probe says otherwise, the user still has to register that key in Snowflake.
    /// </summary>
    private static bool HoldsUnprovenKeyPair(SourceRecord record)
    {
        if (record.Type != "SNOWFLAKE") return false;
        using var settings = System.Text.Json.JsonDocument.Parse(record.SettingsJson);
        return settings.RootElement.TryGetProperty("public_key", out _);
    }

    /// <summary>
    /// When the next check is due: the interval after a result, doubling with each
    /// authentication failure in a row (so a wrong password never locks the user's account),
    /// up to the maximum back-off.
    /// </summary>
    public static DateTimeOffset NextCheck(DateTimeOffset now, int authFailures, ProbeSettings settings)
    {
        var wait = settings.Interval;
        for (var i = 0; i < authFailures && wait < settings.MaxBackoff; i++)
            wait *= 2;
        if (wait > settings.MaxBackoff) wait = settings.MaxBackoff;
        // A little early, so the sweep that lands near the due time does not skip it.
        return now + wait - settings.Interval / 10;
    }
}
