using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Sources.Silo.Grains.Keys;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// What an attacker on the network writes: a plain Orleans client, built from the service's own
/// grain interfaces, pointed at a node's port with the default cluster and service ids. It asks
/// the key registry for every key of every account.
/// </summary>
internal static class BareClient
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>How the client speaks: no TLS, TLS without a certificate, or TLS with this one.</summary>
    public sealed record Transport(bool Tls, X509Certificate2? Certificate)
    {
        public static Transport Plain { get; } = new(false, null);
        public static Transport TlsWithoutCertificate { get; } = new(true, null);
        public static Transport TlsWith(X509Certificate2 certificate) => new(true, certificate);
    }

    /// <summary>Connects to the endpoint and lists every key; the keys, or what stopped the client
    /// (a <see cref="TimeoutException"/> when nothing answered within the limit).</summary>
    public static async Task<(KeyInfo[]? Keys, Exception? Failure)> ListKeysAsync(IPEndPoint gateway, Transport transport)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(gateway);
            // Orleans retries a refused connection until cancelled; the first refusal is the answer.
            client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            client.Configure<ClusterOptions>(cluster => { cluster.ClusterId = "sources"; cluster.ServiceId = "sources"; });
            if (transport.Tls)
                client.UseTls(options =>
                {
                    options.LocalCertificate = transport.Certificate;
                    options.ClientCertificateMode = transport.Certificate is null ? RemoteCertificateMode.NoCertificate : RemoteCertificateMode.RequireCertificate;
                    // This client trusts whatever server answers: what is tested is whether the server trusts it.
                    options.AllowAnyRemoteCertificate();
                });
        });
        using var host = builder.Build();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await host.StartAsync(limit.Token);
            var keys = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IKeyRegistryGrain>(0).List(null).WaitAsync(limit.Token);
            return (keys, null);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return (null, new TimeoutException($"Neither an answer nor a refusal within {Limit.TotalSeconds:0} s."));
        }
        catch (Exception failure)
        {
            return (null, failure);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
