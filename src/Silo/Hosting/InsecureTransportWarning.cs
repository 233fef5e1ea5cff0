using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Sources.Silo.Hosting;

/// <summary>Says at every start, where operators look, that the development switch is on.</summary>
internal sealed class InsecureTransportWarning(ILogger<InsecureTransportWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning("{Setting}=true: the cluster's transport has no TLS and no authentication. Anyone who reaches the silo or gateway port "
            + "can call any grain as any account (create keys, read sources). Use it for development only.",
            ClusterTransportSettings.Section + ":AllowInsecureTransport");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
