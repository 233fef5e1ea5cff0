using Sources.Silo.Probing;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// What a source held back by <see cref="ProbeMarkRecovery"/> shows and how its row is scheduled:
/// its last check stopped the node that ran it.
/// </summary>
public static class HeldBackCheck
{
    public const string Message =
        "The last check of this source stopped the node that ran it, so Sources does not check it again by itself: change its settings or ask for a test.";

    /// <summary>The due time of a held-back source's row: past any sweep.</summary>
    public static readonly DateTimeOffset Never = DateTimeOffset.MaxValue;

    public static ProbeResult Result(DateTimeOffset now) => ProbeResult.Failed(ProbeOutcome.Error, Message) with { CheckedAt = now };
}
