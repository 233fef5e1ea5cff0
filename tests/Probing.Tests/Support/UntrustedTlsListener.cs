using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Sources.Probing.Tests.Support;

/// <summary>
/// A loopback port that starts TLS at once with a certificate no client trusts (one of
/// <see cref="ProbeCertificates"/>), as a server that speaks TLS first would (HTTPS, SQL Server's
/// TDS 8 "strict" encryption, MongoDB with tls=true). It sends the certificate alone, nothing of its
/// chain; the client's certificate check is what must fail.
/// </summary>
public sealed class UntrustedTlsListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly SslServerAuthenticationOptions _options;
    private readonly Task _accepting;

    private UntrustedTlsListener(X509Certificate2 certificate, SslApplicationProtocol[] protocols)
    {
        _certificate = certificate;
        _options = new SslServerAuthenticationOptions
        {
            // Offline, so this server does not chase its own certificate's AIA URL.
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
            ApplicationProtocols = protocols.Length > 0 ? [.. protocols] : null,
        };
        _listener.Start();
        _accepting = Accept();
    }

    /// <summary>
    /// A listener that presents <paramref name="certificate"/> (it takes ownership) and offers the
    /// ALPN <paramref name="protocols"/> (none: the client's choice goes unanswered).
    /// </summary>
    public static UntrustedTlsListener Start(X509Certificate2 certificate, params SslApplicationProtocol[] protocols) => new(certificate, protocols);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private async Task Accept()
    {
        var handshakes = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                handshakes.Add(Handshake(socket));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
        }
        await Task.WhenAll(handshakes);
    }

    private async Task Handshake(Socket socket)
    {
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await tls.AuthenticateAsServerAsync(_options, _stop.Token);
            // A client that accepted the certificate would talk now; this one should never get here.
            await tls.ReadExactlyAsync(new byte[1], _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or System.Security.Authentication.AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _certificate.Dispose();
        _stop.Dispose();
    }
}
