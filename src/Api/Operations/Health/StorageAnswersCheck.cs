using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sources.Silo.Storage;

namespace Sources.Api.Operations.Health;

/// <summary>Ready while the node's database answers a trivial query within two seconds.</summary>
public sealed class StorageAnswersCheck(StorageReachability storage) : IHealthCheck
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        try
        {
            await storage.Ask(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is DbException or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            // The exception is not passed on: a driver's message may name the host and user.
            return HealthCheckResult.Unhealthy("Storage did not answer.");
        }
    }
}
