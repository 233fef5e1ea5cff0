using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Sources.Silo.Storage;
using Sources.TestServers;

namespace Sources.Silo.Tests.Storage;

/// <summary>Starts a real silo host on fresh loopback ports with the storage layer under test.</summary>
internal sealed class SiloRunner : IAsyncDisposable
{
    private readonly IHost host;

    private SiloRunner(IHost host) => this.host = host;

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => host.Services;

    public static async Task<SiloRunner> StartAsync(StorageOptions options, TimeProvider? time = null)
    {
        int siloPort = FreePort.Next(), gatewayPort = FreePort.Next();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.UseOrleans(silo =>
        {
            if (options.Mode == StorageMode.Embedded)
            {
                silo.UseSourcesStorage(options with { SiloPort = siloPort, GatewayPort = gatewayPort });
            }
            else
            {
                // In cluster mode the host owns its endpoints; two silos in one test need distinct ones.
                silo.UseSourcesStorage(options);
                silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
            }
        });

        var host = builder.Build();
        await host.StartAsync();
        return new SiloRunner(host);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
