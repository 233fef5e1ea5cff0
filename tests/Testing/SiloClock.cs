using Microsoft.Extensions.DependencyInjection;

namespace Sources.Testing;

/// <summary>
/// A test's clock for a silo. It becomes the node's <see cref="TimeProvider"/>: what Sources
/// schedules by it (checks falling due, the sweeps, leases, result stamps) and its grains follow
/// it. Two kinds of timing keep the system clock, because what they time is real: Orleans' own
/// messaging, membership and maintenance (a request timing out when the test moves the clock on
/// would be a failure of the test, not of the node), and probe deadlines
/// (<c>ProbeScheduler.DeadlineClock</c>, the system clock unless a test registers another), since
/// a probe talks to a real server.
/// </summary>
internal static class SiloClock
{
    private static readonly string[] RealTime =
    [
        TimeProviderNames.Messaging, TimeProviderNames.SystemTimers, TimeProviderNames.Membership,
        TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory,
    ];

    public static void Use(IServiceCollection services, TimeProvider time)
    {
        // Registered last, so it is the one resolved.
        services.AddSingleton(time);
        foreach (var area in RealTime)
            services.AddKeyedSingleton(area, TimeProvider.System);
    }
}
