namespace Sources.Silo.Probing.Common;

/// <summary>
/// The driver's own timeouts for a probe. The runner answers at the deadline whatever the driver
/// does, but it holds the probe's concurrency slot until the driver's work really ends; a driver
/// left on its defaults (15–30 s) would keep sockets and slots long after the answer went out.
/// </summary>
public static class DriverTimeouts
{
    /// <summary>The deadline in whole seconds, at least one, for drivers that count in seconds.</summary>
    public static int Seconds(ProbeSettings probing) => Math.Max(1, (int)Math.Ceiling(probing.Deadline.TotalSeconds));
}
