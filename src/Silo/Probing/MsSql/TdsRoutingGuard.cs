using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.MsSql;

/// <summary>
/// A relay on a loopback port, for the life of one MSSQL probe, between SqlClient and the address
/// the network policy checked. SqlClient follows a login's routing answer (ENVCHANGE type 20 or 21)
/// to any host and port by itself, with its own DNS and no hook (docs/probers.md), so the relay
/// reads the server's side of the login and cuts both connections when the answer routes: SqlClient
/// never sees where to, and the probe answers <see cref="Refusal"/>. An answer it cannot walk
/// (<see cref="TdsLoginAnswer"/>) is cut too, since a routing token could follow. When the source
/// wants TLS, the relay holds it with the server itself (<see cref="TdsServerTls"/>) and checks the
/// certificate with <see cref="ServerCertificateCheck"/>, so it reads the login answer in the clear
/// however the session is encrypted; without TLS it reads plain TDS packets.
/// </summary>
public sealed class TdsRoutingGuard : IAsyncDisposable
{
    private const byte TabularResult = 0x04;
    private const byte PreLogin = 0x12;
    private const int HeaderLength = TdsMessages.HeaderLength;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _destination;
    private readonly ServerCertificateCheck? _tls;
    private readonly bool _strict;
    private readonly CancellationTokenSource _stop;
    private readonly Task _accepting;
    private readonly List<Task> _relays = [];
    private volatile bool _routed;
    private volatile bool _unreadable;
    private volatile bool _tlsFailed;
    private volatile bool _tlsNotOffered;

    private TdsRoutingGuard(IPEndPoint destination, ServerCertificateCheck? tls, bool strict, CancellationToken cancellation)
    {
        _destination = destination;
        _tls = tls;
        _strict = strict;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        _accepting = Accept(_stop.Token);
    }

    /// <summary>Starts a relay to <paramref name="destination"/>; SqlClient connects to <see cref="Port"/> on 127.0.0.1.</summary>
    public static TdsRoutingGuard Start(IPEndPoint destination, CancellationToken cancellation) => new(destination, null, false, cancellation);

    /// <summary>
    /// Starts a relay that holds the TLS to the server itself, checked by <paramref name="tls"/>
    /// (TDS 8 when <paramref name="strict"/>, else TDS 7.x); SqlClient connects with Encrypt=Strict,
    /// pinning <see cref="RelayCertificate"/>.
    /// </summary>
    public static TdsRoutingGuard StartEncrypted(IPEndPoint destination, ServerCertificateCheck tls, bool strict, CancellationToken cancellation) =>
        new(destination, tls, strict, cancellation);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The server answered the login with a routing token, and the relay cut it.</summary>
    public bool Routed => _routed;

    /// <summary>The server answered the login with tokens a login answer does not carry, and the relay cut it.</summary>
    public bool Unreadable => _unreadable;

    /// <summary>Why the relay cut the login, as the probe's outcome; null when it did not.</summary>
    public ProbeResult? Refusal(string host) =>
        _routed ? ProbeResult.Failed(ProbeOutcome.Unsupported,
                $"'{host}' answered the login by routing it to another server; Sources does not follow routing. Name the server it routes to as the host, or have the server accept logins itself.")
        : _unreadable ? ProbeResult.Failed(ProbeOutcome.Error, $"'{host}' answered the login with data a SQL Server login answer does not hold.")
        : _tlsFailed && _tls is not null ? _tls.Failed()
        : _tlsNotOffered && _tls is not null ? ServerCertificateCheck.NotOffered(host, _tls.Tls.Mode)
        : null;

    private async Task Accept(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptSocketAsync(stop).ConfigureAwait(false);
                lock (_relays)
                    _relays.Add(Relay(client, stop));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task Relay(Socket client, CancellationToken stop)
    {
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var server = new Socket(_destination.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using (client)
        {
            try
            {
                await server.ConnectAsync(_destination, cut.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                // SqlClient sees its connection end before any answer, as it would have seen the refusal.
                return;
            }
            await using var fromClient = await FromClient(new NetworkStream(client, ownsSocket: false), cut.Token).ConfigureAwait(false);
            if (fromClient is null)
                return;
            await using var toServer = await ToServer(new NetworkStream(server, ownsSocket: false), fromClient, cut.Token).ConfigureAwait(false);
            if (toServer is null)
                return;
            var upstream = Copy(fromClient, toServer, cut);
            var downstream = Answers(toServer, fromClient, cut, preLoginAnswered: _tls is not null);
            await Task.WhenAny(upstream, downstream).ConfigureAwait(false);
            await cut.CancelAsync().ConfigureAwait(false);
            client.Close();
            server.Close();
            await Task.WhenAll(upstream, downstream).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The stream to the server: the socket's own without <see cref="_tls"/>; else the relay's TLS,
    /// once SqlClient's prelogin went to the server and its answer came back. Null when the relay
    /// cut the connection there.
    /// </summary>
    private async Task<Stream?> ToServer(NetworkStream server, Stream client, CancellationToken cut)
    {
        if (_tls is null)
            return server;
        try
        {
            var header = new byte[HeaderLength];
            if (!await TdsMessages.Fill(client, header.AsMemory(0, 1), cut).ConfigureAwait(false) || header[0] != PreLogin)
                return await Closed(server).ConfigureAwait(false);
            var preLogin = await TdsMessages.Read(client, header, cut).ConfigureAwait(false);
            if (preLogin is null)
                return await Closed(server).ConfigureAwait(false);
            var opened = await TdsServerTls.Open(server, preLogin.Packets, _tls, _strict, cut).ConfigureAwait(false);
            _tlsFailed = opened.Outcome == ServerTlsOutcome.Failed;
            _tlsNotOffered = opened.Outcome == ServerTlsOutcome.NotOffered;
            _unreadable = opened.Outcome == ServerTlsOutcome.Unreadable;
            if (opened.Tls is null)
                return await Closed(server).ConfigureAwait(false);
            await client.WriteAsync(opened.PreLoginAnswer, cut).ConfigureAwait(false);
            return opened.Tls;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException or InvalidDataException)
        {
            return await Closed(server).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// SqlClient's side: plain without <see cref="_tls"/>; else TDS 8 TLS with
    /// <see cref="RelayCertificate"/>, which SqlClient pins, so nothing on this machine reads the login
    /// on loopback either. Null when the handshake failed.
    /// </summary>
    private async Task<Stream?> FromClient(NetworkStream client, CancellationToken cut)
    {
        if (_tls is null)
            return client;
        var tls = new SslStream(client, leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = RelayCertificate.Certificate,
                ApplicationProtocols = [new SslApplicationProtocol("tds/8.0")],
            }, cut).ConfigureAwait(false);
            return tls;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException)
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    private static async Task<Stream?> Closed(Stream server)
    {
        await server.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    private static async Task Copy(Stream from, Stream to, CancellationTokenSource cut)
    {
        try
        {
            await from.CopyToAsync(to, cut.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// The server's side: the prelogin answer, the TLS handshake's packets, then the login answer,
    /// which is held until its last packet and scanned; a routing token ends the relay there.
    /// Once the login is answered, or the bytes are TLS records, the rest is copied unread.
    /// </summary>
    private async Task Answers(Stream server, Stream client, CancellationTokenSource cut, bool preLoginAnswered)
    {
        try
        {
            while (true)
            {
                var header = new byte[HeaderLength];
                if (!await TdsMessages.Fill(server, header.AsMemory(0, 1), cut.Token).ConfigureAwait(false)) return;
                if (header[0] is >= 0x14 and <= 0x17 && _tls is null)
                {
                    // A TLS record outside a TDS packet: the session is encrypted from here on.
                    await client.WriteAsync(header.AsMemory(0, 1), cut.Token).ConfigureAwait(false);
                    await Copy(server, client, cut).ConfigureAwait(false);
                    return;
                }
                var message = await TdsMessages.Read(server, header, cut.Token).ConfigureAwait(false);
                if (message is null) return;
                if (header[0] == TabularResult && preLoginAnswered)
                {
                    switch (TdsLoginAnswer.Read(message.Payload))
                    {
                        case LoginAnswerKind.Routes:
                            _routed = true;
                            return;
                        case LoginAnswerKind.Unreadable:
                            _unreadable = true;
                            return;
                    }
                    await client.WriteAsync(message.Packets, cut.Token).ConfigureAwait(false);
                    await Copy(server, client, cut).ConfigureAwait(false);
                    return;
                }
                preLoginAnswered |= header[0] == TabularResult;
                await client.WriteAsync(message.Packets, cut.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException or InvalidDataException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        Task[] relays;
        lock (_relays)
            relays = [.. _relays];
        await Task.WhenAll(relays).ConfigureAwait(false);
        _stop.Dispose();
    }
}
