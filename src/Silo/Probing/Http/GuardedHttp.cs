using System.Net;
using System.Net.Sockets;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.Http;

/// <summary>
/// HttpClient for probers that reach user-given hosts. Every new connection, the first and
/// each one a redirect opens, asks the network policy about its host and connects only to an
/// address the policy checked; the URL keeps the host name, so TLS still verifies that name.
/// No proxy: a proxy from the environment would connect on our behalf, unchecked.
/// </summary>
public static class GuardedHttp
{
    /// <param name="maxRedirects">0 refuses to follow redirects (the response comes back as it is).</param>
    public static HttpClient Client(NetworkPolicy network, int maxRedirects = 0, TimeSpan? connectTimeout = null) =>
        new(Handler(network, maxRedirects, connectTimeout), disposeHandler: true)
        {
            // The caller's cancellation (the probe's deadline) bounds every request instead.
            Timeout = Timeout.InfiniteTimeSpan,
        };

    public static SocketsHttpHandler Handler(NetworkPolicy network, int maxRedirects = 0, TimeSpan? connectTimeout = null) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = maxRedirects > 0,
        MaxAutomaticRedirections = Math.Max(1, maxRedirects),
        ConnectTimeout = connectTimeout ?? Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = (context, cancellation) => Connect(network, context.DnsEndPoint, cancellation),
    };

    private static async ValueTask<Stream> Connect(NetworkPolicy network, DnsEndPoint endPoint, CancellationToken cancellation)
    {
        var destination = await network.Resolve(endPoint.Host, cancellation);
        if (!destination.IsAllowed)
            throw new DestinationRefusedException(destination);

        SocketException? last = null;
        foreach (var address in destination.Addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}

/// <summary>The network policy refused a host a request (or one of its redirects) named.</summary>
public sealed class DestinationRefusedException(Destination destination) : IOException(destination.Message)
{
    public Destination Destination { get; } = destination;
}
