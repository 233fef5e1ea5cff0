namespace Sources.Silo.Probing.Common;

/// <summary>
/// The driver's own timeouts for a probe, from the time the probe has (its context's budget).
/// The scheduler answers at the deadline whatever the driver does and stops counting a driver
/// that outlives it against new probes, but a driver left on its defaults (15–30 s) would keep
/// its socket long after the answer went out.
/// </summary>
public static class DriverTimeouts
{
    /// <summary>The budget in whole seconds, at least one, for drivers that count in seconds.</summary>
    public static int Seconds(TimeSpan budget) => Math.Max(1, (int)Math.Ceiling(budget.TotalSeconds));

    /// <summary>The configured deadline in whole seconds, for settings built before a probe has a budget.</summary>
    public static int Seconds(ProbeSettings probing) => Seconds(probing.Deadline);
}
