namespace Sources.Silo.Probing;

/// <summary>"Sources:Probe": how probes are scheduled and run, and how often sources are re-checked.</summary>
public sealed class ProbeSettings
{
    /// <summary>
    /// How long a caller waits for a probe, counted from the moment it asked: a probe that has
    /// not started by then answers that it could not start, one that has not finished answers
    /// timeout, whatever the driver is doing. FILE probes have their own, longer limit.
    /// </summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a create, a test of settings or an update-config waits for its settings check on
    /// the blocking pool (decrypting an encrypted key) before it answers 503 (see <see cref="SettingsChecks"/>).
    /// </summary>
    public TimeSpan CheckBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Probes in flight at once on one node. A probe waiting on a socket costs a socket, a timer
    /// and a few buffers, so the default follows the memory the process may use: one probe per
    /// 8 MiB, from 64 to 4,096. 0 means that default.
    /// </summary>
    public int Concurrency { get; set; }

    /// <summary>Probes of one account in flight at once on one node (its share); 0 means an eighth of <see cref="Concurrency"/>, at least 8.</summary>
    public int PerAccount { get; set; }

    /// <summary>Threads for calls that block (DuckDB, XLSX parsing, key decryption); 0 means the number of cores, at least 2.</summary>
    public int BlockingThreads { get; set; }

    /// <summary>How often a source is re-checked.</summary>
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

    /// <summary><see cref="Concurrency"/> as configured, or its default from the memory this process may use.</summary>
    public int Capacity => Concurrency > 0
        ? Concurrency
        : (int)Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (8L << 20), 64, 4096);

    public int AccountShare => PerAccount > 0 ? Math.Min(PerAccount, Capacity) : Math.Max(8, Capacity / 8);

    public int BlockingThreadCount => BlockingThreads > 0 ? BlockingThreads : Math.Max(2, Environment.ProcessorCount);
}
