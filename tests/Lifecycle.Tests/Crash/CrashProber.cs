using System.Text.Json.Nodes;
using Sources.Silo.Probing;

namespace Sources.Lifecycle.Tests.Crash;

/// <summary>
/// Test-only type CRASH: its probe does its work on the blocking pool, like an import, and when
/// the settings say <c>"crash": true</c> that work ends the process on the spot, as a native
/// crash or an out-of-memory kill would. Every probe is announced on stdout first.
/// </summary>
internal sealed class CrashProber : IProber
{
    public string Type => "CRASH";

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings) => [];

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        CrashHost.Say($"probed {context.SourceId}");
        var crash = settings["crash"]?.GetValue<bool>() == true;
        return await context.Blocking.Run(_ =>
        {
            if (crash)
                Environment.FailFast("CRASH prober: taking the node down");
            return ProbeResult.Succeeded("crash 1", "{}", []);
        }, cancellation);
    }
}
