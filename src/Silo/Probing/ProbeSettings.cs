namespace Sources.Silo.Probing;

/// <summary>"Sources:Probe" and "Sources:Health": how probes run and how often sources are re-checked.</summary>
public sealed class ProbeSettings
{
    /// <summary>A probe that has not finished by then is a timeout, whatever the driver is doing.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Probes running at once on one node; the rest wait their turn.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>How often a source is re-checked (with jitter).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest wait between checks after repeated authentication failures.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A credential this close to its expiry makes the source degraded.</summary>
    public TimeSpan ExpiryWarning { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Whether this node sweeps for due checks (see HealthSweep). Off for the keys command's
    /// short-lived node, which would otherwise claim checks and then stop before they finish.
    /// </summary>
    public bool Sweep { get; set; } = true;

    /// <summary>How many past results a source keeps.</summary>
    public int HistorySize { get; set; } = 20;
}
