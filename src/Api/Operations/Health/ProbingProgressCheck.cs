using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sources.Silo.Scheduling;

namespace Sources.Api.Operations.Health;

/// <summary>
/// Not ready when this node's probe scheduler is wedged: probes have waited twice the longest
/// deadline with none starting or ending (<see cref="ProbeScheduler.WaitingWithoutProgress"/>).
/// A healthy node starts or ends one within a deadline whenever work waits.
/// </summary>
public sealed class ProbingProgressCheck(ProbeScheduler scheduler) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = scheduler.LongestDeadline * 2;
        var stalled = scheduler.WaitingWithoutProgress;
        return Task.FromResult(stalled <= limit ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy(FormattableString.Invariant($"Probes have waited {stalled.TotalSeconds:0} s with none starting or ending (the limit is {limit.TotalSeconds:0} s).")));
    }
}
