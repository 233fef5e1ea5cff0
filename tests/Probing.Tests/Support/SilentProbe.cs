using System.Text.Json.Nodes;
using Sources.Silo.Probing;
using Sources.TestServers;

namespace Sources.Probing.Tests.Support;

/// <summary>
/// The deadline test every prober has: its settings aimed at a port that accepts and never
/// answers, run through a node's scheduler with a 2 s deadline (the prober built with
/// the same settings, so its driver timeouts follow). Only the outcome is asserted; nothing is timed.
/// </summary>
public static class SilentProbe
{
    public static async Task<ProbeResult> Run(Func<ProbeSettings, IProber> create, Func<int, JsonObject> settingsForPort)
    {
        using var silent = new SilentListener();
        var settings = Probes.Settings(deadlineSeconds: 2);
        var prober = create(settings);
        return await Probes.Runner(prober, settings).Run(prober.Type, settingsForPort(silent.Port), Probes.Context, [], CancellationToken.None);
    }
}
