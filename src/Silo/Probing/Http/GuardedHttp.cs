using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.Http;

/// <summary>
/// HttpClient for probers that reach user-given hosts. Every new connection, the first and
/// each one a redirect opens, asks the network policy about its host and connects only to an
/// address the policy checked; the URL keeps the host name, so TLS still verifies that name.
/// No proxy: a proxy from the environment would connect on our behalf, unchecked. TLS builds
/// the server's chain from what the server sent and the machine's roots only: no intermediate
/// is downloaded from the certificate's AIA address and no revocation list or OCSP answer is
/// fetched, since those requests would go wherever the certificate says, past the policy.
/// </summary>
public static class GuardedHttp
{
    /// <param name="budget">The time the probe has: connecting, and each request up to its response headers (or its whole body when buffered), get no more.</param>
    /// <param name="maxRedirects">0 refuses to follow redirects (the response comes back as it is).</param>
    public static HttpClient Client(NetworkPolicy network, TimeSpan budget, int maxRedirects = 0) =>
        new(Handler(network, budget, maxRedirects), disposeHandler: true)
        {
            // A request ends by itself within the budget, even if the caller's token is never cancelled.
            Timeout = budget,
        };

    /// <summary>A client for a source's answers (not FILE downloads, which have their own caps): each answer read up to <see cref="BoundedAnswers.MaxBytes"/>.</summary>
    /// <param name="certificates">The source's own certificate check (ssl_mode, ssl_ca), in place of SslStream's default one.</param>
    public static HttpClient Answers(NetworkPolicy network, TimeSpan budget, RemoteCertificateValidationCallback? certificates = null)
    {
        var handler = Handler(network, budget);
        if (certificates is not null)
            handler.SslOptions.RemoteCertificateValidationCallback = certificates;
        return new(new BoundedAnswers(handler), disposeHandler: true) { Timeout = budget };
    }

    public static SocketsHttpHandler Handler(NetworkPolicy network, TimeSpan budget, int maxRedirects = 0) => new()
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = maxRedirects > 0,
        MaxAutomaticRedirections = Math.Max(1, maxRedirects),
        ConnectTimeout = budget,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        SslOptions = TlsOptions(),
        ConnectCallback = (context, cancellation) => Connect(network, context.DnsEndPoint, cancellation),
    };

    /// <summary>
    /// Chain building that never goes online. The host name is still verified: SslStream checks
    /// the name against the request's host separately from the chain policy.
    /// </summary>
    public static SslClientAuthenticationOptions TlsOptions() => new()
    {
        CertificateChainPolicy = OfflineChainPolicy(),
    };

    /// <summary>The machine's roots, no downloads of missing intermediates, no revocation fetches.</summary>
    public static X509ChainPolicy OfflineChainPolicy() => new()
    {
        DisableCertificateDownloads = true,
        RevocationMode = X509RevocationMode.NoCheck,
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
