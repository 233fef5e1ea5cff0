using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sources.Probing.Tests.Support;

/// <summary>
/// A TLS server on loopback whose leaf (for "localhost") is signed by an intermediate it does not
/// send; the leaf's AIA caIssuers address points at a second loopback listener that only counts
/// the connections it gets. A client that goes to fetch the missing intermediate shows up there.
/// </summary>
public sealed class AiaTlsServer : IAsyncDisposable
{
    private readonly TcpListener _tls = new(IPAddress.Loopback, 0);
    private readonly TcpListener _recorder = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly SslStreamCertificateContext _certificate;
    private readonly Task _serving;
    private readonly Task _recording;
    private int _fetches;

    private AiaTlsServer()
    {
        _tls.Start();
        _recorder.Start();
        _certificate = LeafOnly($"http://127.0.0.1:{((IPEndPoint)_recorder.LocalEndpoint).Port}/intermediate.crt");
        _serving = Serve();
        _recording = Record();
    }

    public static AiaTlsServer Start() => new();

    public int Port => ((IPEndPoint)_tls.LocalEndpoint).Port;

    /// <summary>Connections the AIA address received.</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    private async Task Record()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var socket = await _recorder.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _fetches);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
        }
    }

    private async Task Serve()
    {
        var handshakes = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                handshakes.Add(Handshake(await _tls.AcceptSocketAsync(_stop.Token)));
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
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = _certificate }, _stop.Token);
            await tls.ReadExactlyAsync(new byte[1], _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or System.Security.Authentication.AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Root → intermediate → leaf, made here; the server's context holds the leaf alone (offline: nothing fetched on the server's side).</summary>
    private static SslStreamCertificateContext LeafOnly(string aiaUrl)
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Sources Test Root", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(2));

        using var intermediateKey = RSA.Create(2048);
        var intermediateRequest = new CertificateRequest("CN=Sources Test Intermediate", intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var intermediatePublic = intermediateRequest.Create(root, now.AddMinutes(-5), now.AddHours(1), RandomNumberGenerator.GetBytes(8));
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        leafRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [aiaUrl]));
        using var leafPublic = leafRequest.Create(intermediate, now.AddMinutes(-5), now.AddMinutes(50), RandomNumberGenerator.GetBytes(8));
        using var leafWithKey = leafPublic.CopyWithPrivateKey(leafKey);
        // Exported and loaded again so the private key is usable by SslStream on every platform.
        var leaf = X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pfx), null);
        return SslStreamCertificateContext.Create(leaf, additionalCertificates: null, offline: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _tls.Stop();
        _recorder.Stop();
        await Task.WhenAll(_serving, _recording);
        _stop.Dispose();
    }
}
