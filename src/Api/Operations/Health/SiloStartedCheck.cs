using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Sources.Api.Operations.Health;

/// <summary>
/// Ready once the host has started (the silo, or the cluster client, has joined: the host starts
/// only after it has) and until it begins to stop, so a load balancer stops sending work to a node
/// that is shutting down.
/// </summary>
public sealed class SiloStartedCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(!lifetime.ApplicationStarted.IsCancellationRequested ? HealthCheckResult.Unhealthy("The node has not finished starting.")
            : lifetime.ApplicationStopping.IsCancellationRequested ? HealthCheckResult.Unhealthy("The node is stopping.")
            : HealthCheckResult.Healthy());
}
