using Sources.Silo.Probing;

namespace Sources.Silo.Scheduling;

/// <summary>
/// The most of a probe's result that is kept, whatever the source sent: every prober bounds what
/// it reads, and this is the last line for all of them, since a result is stored with its source
/// and returned by every read. A discovery over its bound is dropped whole (a cut JSON text means
/// nothing) and a warning says so, which shows the source as degraded until its selection is narrowed.
/// </summary>
public static class ResultBounds
{
    public const int MaxMessageChars = 1_000;
    public const int MaxVersionChars = 256;
    public const int MaxWarnings = 100;
    public const int MaxWarningChars = 500;
    /// <summary>The whole discovery, before it is cut into pages (<see cref="DiscoveryPages"/>) of at most 256 KiB each.</summary>
    public const int MaxDiscoveryChars = 8 << 20;

    public static ProbeResult Apply(ProbeResult result)
    {
        var warnings = result.Warnings;
        var discovery = result.DiscoveryJson;
        if (discovery is { Length: > MaxDiscoveryChars })
        {
            discovery = null;
            warnings = [.. warnings, $"What the source holds was too large to keep (over {MaxDiscoveryChars / (1 << 20)} Mi characters); select fewer schemas, datasets or tools."];
        }
        if (warnings.Length > MaxWarnings || warnings.Any(w => w.Length > MaxWarningChars))
            warnings = warnings.Take(MaxWarnings).Select(w => Cut(w, MaxWarningChars)).ToArray();
        if (ReferenceEquals(warnings, result.Warnings) && ReferenceEquals(discovery, result.DiscoveryJson)
            && result.Message.Length <= MaxMessageChars && (result.ServerVersion?.Length ?? 0) <= MaxVersionChars)
            return result;
        return result with
        {
            Message = Cut(result.Message, MaxMessageChars),
            ServerVersion = result.ServerVersion is null ? null : Cut(result.ServerVersion, MaxVersionChars),
            Warnings = warnings,
            DiscoveryJson = discovery,
        };
    }

    private static string Cut(string text, int most) => text.Length <= most ? text : string.Concat(text.AsSpan(0, most - 1), "…");
}
