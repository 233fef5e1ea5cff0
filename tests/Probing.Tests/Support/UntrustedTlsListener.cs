using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sources.Probing.Tests.Support;

/// <summary>
/// A loopback port that starts TLS at once with a self-signed certificate no client trusts,
/// as a server that speaks TLS first (SQL Server's TDS 8 "strict" encryption) would; the
/// client's certificate check is what must fail.
/// </summary>
public sealed class UntrustedTlsListener : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly Task _accepting;

    private UntrustedTlsListener(X509Certificate2 certificate)
    {
        _certificate = certificate;
        _listener.Start();
        _accepting = Accept();
    }

    public static UntrustedTlsListener Start() => new(SelfSigned());

    /// <summary>A listener that presents <paramref name="certificate"/> (and nothing of its chain); it takes ownership.</summary>
    public static UntrustedTlsListener Start(X509Certificate2 certificate) => new(certificate);

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
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                // Offline, so this server does not chase its own certificate's AIA URL.
                ServerCertificateContext = SslStreamCertificateContext.Create(_certificate, null, offline: true),
                ApplicationProtocols = [new SslApplicationProtocol("tds/8.0")],
            }, _stop.Token);
            // A client that accepted the certificate would talk now; this one should never get here.
            await tls.ReadExactlyAsync(new byte[1], _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or System.Security.Authentication.AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Exported and loaded again so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
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
