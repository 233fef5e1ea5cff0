using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.MongoDb;

/// <summary>
/// A SOCKS5 endpoint on loopback, one per probe, given to the MongoDB driver as its proxy. The
/// driver resolves names itself and discovers replica-set members on its own, so a check before
/// connecting could not cover what it reaches; through the gate, every connection it opens (seed
/// hosts, SRV targets, members it learns of) is asked of the network policy by name and goes only
/// to the address the policy checked. When the source asks for TLS the gate starts it to each
/// destination, verifying the name the driver asked for, with a chain built offline (the driver's
/// own TLS offers no way to stop .NET downloading intermediates named in a certificate), and the
/// driver speaks plain to the gate; the check is the source's ssl_mode and ssl_ca
/// (<see cref="ServerCertificateCheck"/>). The last refusal is kept, so the probe can say why no server
/// was reachable.
/// </summary>
public sealed class PolicyGate : IAsyncDisposable
{
    /// <summary>Connections at once: a probe needs one or two per server; a long member list gets no more.</summary>
    private const int MaxConnections = 32;

    private const byte Version = 5, NoAuthentication = 0, NoAcceptableMethod = 0xFF, Connect = 1;
    private const byte Succeeded = 0, GeneralFailure = 1, NotAllowed = 2, HostUnreachable = 4, Refused = 5, TimedOut = 6, CommandNotSupported = 7;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly NetworkPolicy _network;
    private readonly TimeSpan _connectTimeout;
    private readonly TlsSettings? _tls;
    private readonly CancellationTokenSource _stop;
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private ProbeResult? _lastFailure;

    private PolicyGate(NetworkPolicy network, TimeSpan connectTimeout, TlsSettings? tls, CancellationToken cancellation)
    {
        _network = network;
        _connectTimeout = connectTimeout;
        _tls = tls;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        _listener.Start();
        _accepting = Accept();
    }

    /// <param name="tls">The source's TLS, which the gate starts to every destination; null (or disable) relays plain.</param>
    public static PolicyGate Start(NetworkPolicy network, TimeSpan connectTimeout, CancellationToken cancellation, TlsSettings? tls = null) =>
        new(network, connectTimeout, tls, cancellation);

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Why the gate last refused or failed a connection, as the probe should report it.</summary>
    public ProbeResult? LastFailure => Volatile.Read(ref _lastFailure);

    private async Task Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                if (_connections.Count >= MaxConnections) { client.Dispose(); continue; }
                _connections.Add(Serve(client));
            }
        }
    }

    private async Task Serve(Socket clientSocket)
    {
        await using var client = new NetworkStream(clientSocket, ownsSocket: true);
        try
        {
            var (host, port) = await Handshake(client);
            if (host is null) return;
            var upstream = await Open(host, port);
            if (upstream.Stream is null)
            {
                await Reply(client, upstream.Code);
                return;
            }
            await using var target = _tls is null or { Mode: TlsMode.Disable } ? upstream.Stream : await StartTls(upstream.Stream, host, _tls);
            if (target is null)
            {
                await Reply(client, GeneralFailure);
                return;
            }
            await Reply(client, Succeeded);
            // Either side hanging up ends the relay; the other direction is cut with it.
            await Task.WhenAny(client.CopyToAsync(target, _stop.Token), target.CopyToAsync(client, _stop.Token));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or EndOfStreamException)
        {
            // The driver hung up or the probe ended; nothing to report beyond what the driver sees.
        }
    }

    /// <summary>Reads the greeting and the CONNECT request; the destination, or null after refusing the request.</summary>
    private async Task<(string? Host, int Port)> Handshake(NetworkStream client)
    {
        var head = new byte[2];
        await client.ReadExactlyAsync(head, _stop.Token);
        var methods = new byte[head[1]];
        await client.ReadExactlyAsync(methods, _stop.Token);
        if (head[0] != Version || !methods.Contains(NoAuthentication))
        {
            await client.WriteAsync(new[] { Version, NoAcceptableMethod }, _stop.Token);
            return (null, 0);
        }
        await client.WriteAsync(new[] { Version, NoAuthentication }, _stop.Token);

        var request = new byte[4];
        await client.ReadExactlyAsync(request, _stop.Token);
        var address = request[3] switch
        {
            1 => new byte[4],
            4 => new byte[16],
            3 => new byte[(await ReadByte(client))],
            _ => null,
        };
        if (request[1] != Connect || address is null)
        {
            await Reply(client, CommandNotSupported);
            return (null, 0);
        }
        await client.ReadExactlyAsync(address, _stop.Token);
        var portBytes = new byte[2];
        await client.ReadExactlyAsync(portBytes, _stop.Token);
        var host = request[3] == 3 ? Encoding.ASCII.GetString(address) : new IPAddress(address).ToString();
        return (host, BinaryPrimitives.ReadUInt16BigEndian(portBytes));
    }

    /// <summary>Connects to the checked address of <paramref name="host"/>, or says which SOCKS code refuses it.</summary>
    private async Task<(Stream? Stream, byte Code)> Open(string host, int port)
    {
        var destination = await _network.Resolve(host, _stop.Token);
        if (!destination.IsAllowed)
            return Fail(destination.ToResult(), destination.Outcome == ProbeOutcome.InvalidConfig ? NotAllowed : HostUnreachable);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_connectTimeout);
        SocketError last = SocketError.HostUnreachable;
        foreach (var address in destination.Addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
                return (new NetworkStream(socket, ownsSocket: true), Succeeded);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex.SocketErrorCode;
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                socket.Dispose();
                return Fail(TransportFailures.TimedOut(host), TimedOut);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        return Fail(TransportFailures.FromSocket(last, host), last == SocketError.ConnectionRefused ? Refused : HostUnreachable);
    }

    /// <summary>TLS to the destination by the name the driver asked for, or null (the failure kept) when it fails.</summary>
    private async Task<Stream?> StartTls(Stream upstream, string host, TlsSettings tls)
    {
        var secured = new SslStream(upstream, leaveInnerStreamOpen: false);
        // Each destination is checked by the name the driver asked for it by.
        var check = new ServerCertificateCheck(tls, host);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            RemoteCertificateValidationCallback = check.Callback,
        };
        OfflineChain.Apply(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(_connectTimeout);
        try
        {
            await secured.AuthenticateAsClientAsync(options, timeout.Token);
            return secured;
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
        {
            await secured.DisposeAsync();
            Fail(check.Started ? check.Failed() : ServerCertificateCheck.NotOffered(host, tls.Mode), GeneralFailure);
            return null;
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            await secured.DisposeAsync();
            Fail(TransportFailures.TimedOut(host), TimedOut);
            return null;
        }
    }

    private (Stream?, byte) Fail(ProbeResult why, byte code)
    {
        Volatile.Write(ref _lastFailure, why);
        return (null, code);
    }

    private async Task<byte> ReadByte(NetworkStream client)
    {
        var one = new byte[1];
        await client.ReadExactlyAsync(one, _stop.Token);
        return one[0];
    }

    /// <summary>A reply with the all-zero IPv4 bound address: the driver reads and ignores it.</summary>
    private Task Reply(NetworkStream client, byte code) =>
        client.WriteAsync(new byte[] { Version, code, 0, 1, 0, 0, 0, 0, 0, 0 }, _stop.Token).AsTask();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        Task[] open;
        lock (_connections) open = [.. _connections];
        await Task.WhenAll(open);
        _stop.Dispose();
    }
}
