using Microsoft.Extensions.Logging.Abstractions;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Network;

namespace Sources.Probing.Tests.Support;

/// <summary>What every prober test needs: a policy that lets loopback through (the test servers
/// live there), and a runner with a short deadline for the tests that end at it.</summary>
public static class Probes
{
    public static NetworkPolicy Loopback { get; } = new(new NetworkSettings { Allow = ["loopback"] });

    /// <summary>The default policy of a server: loopback and private ranges denied.</summary>
    public static NetworkPolicy Strict { get; } = new(new NetworkSettings());

    public static ProbeSettings Settings(double deadlineSeconds = 10) => new() { Deadline = TimeSpan.FromSeconds(deadlineSeconds) };

    /// <summary>A context for probes whose source id does not matter and whose progress nobody reads.</summary>
    public static ProbeContext Context { get; } = new(1);

    public static ProbeRunner Runner(IProber prober, ProbeSettings settings) =>
        new([prober], settings, TimeProvider.System, NullLogger<ProbeRunner>.Instance);
}
