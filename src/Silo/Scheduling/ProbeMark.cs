namespace Sources.Silo.Scheduling;

/// <summary>
/// Says, durably, that a check of <see cref="SourceId"/> is doing heavy work on <see cref="Node"/>:
/// written before the work starts, removed when the probe's driver ends. One left behind by a node
/// that went down names a check that may have taken it down (docs/probing.md).
/// </summary>
public sealed record ProbeMark(long SourceId, string Node, long Probe, DateTimeOffset MarkedAt);

/// <summary>Where this node writes its marks: storage in a silo, nothing in tools and tests that run probes alone.</summary>
public interface IProbeMarks
{
    /// <summary>This node's name in the marks it writes.</summary>
    string Node { get; }

    Task Mark(ProbeMark mark);

    Task Remove(long sourceId, long probe);
}
