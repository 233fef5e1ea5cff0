using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Network;
using Sources.Silo.Scheduling;

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

    /// <summary>Probes as a node does: through a scheduler of its own, as an interactive probe, held to the settings' deadline.</summary>
    public static ScheduledRuns Runner(IProber prober, ProbeSettings settings) => new(prober, settings);
}

/// <summary>A node's scheduler around one prober, for tests that need the deadline a node enforces.</summary>
public sealed class ScheduledRuns(IProber prober, ProbeSettings settings)
{
    private readonly ProbeScheduler _scheduler = new(
        new ProbeRunner([prober], settings, NullLogger<ProbeRunner>.Instance), settings, TimeProvider.System, NullLogger<ProbeScheduler>.Instance);

    public async Task<ProbeResult> Run(string type, JsonObject source, ProbeContext context, IReadOnlyCollection<string> secretValues, CancellationToken cancellation)
    {
        var probe = _scheduler.Schedule(new ProbeRequest("test", context.SourceId, type, source, secretValues, context.Progress), ProbeLane.Interactive);
        return (await probe.Result.WaitAsync(cancellation)).Result;
    }
}
