using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sources.Silo.Probing.MsSql;

/// <summary>
/// A relay on a loopback port, for the life of one MSSQL probe, between SqlClient and the address
/// the network policy checked. SqlClient follows a login's routing answer (ENVCHANGE type 20 or 21)
/// to any host and port by itself, with its own DNS and no hook (docs/probers.md), so the relay
/// reads the server's side of the login and cuts both connections when the answer routes: SqlClient
/// never sees where to, and the probe answers <see cref="Refusal"/>. An answer it cannot walk
/// (<see cref="TdsLoginAnswer"/>) is cut too, since a routing token could follow. It can read the answer when it
/// travels in plain TDS packets: encryption off or not supported, or TLS for the login packet only.
/// When the whole session is encrypted (SqlClient's Encrypt=Mandatory or Strict with a server that
/// encrypts), the answer is inside TLS and the relay only copies bytes.
/// </summary>
public sealed class TdsRoutingGuard : IAsyncDisposable
{
    private const byte TabularResult = 0x04;
    private const byte EndOfMessage = 0x01;
    private const int HeaderLength = 8;

    /// <summary>A login answer is small; more than this before its end is not a login answer.</summary>
    private const int MaxLoginAnswerBytes = 1 << 20;

    private readonly TcpListener _listener;
    private readonly IPEndPoint _destination;
    private readonly CancellationTokenSource _stop;
    private readonly Task _accepting;
    private readonly List<Task> _relays = [];
    private volatile bool _routed;
    private volatile bool _unreadable;

    private TdsRoutingGuard(IPEndPoint destination, CancellationToken cancellation)
    {
        _destination = destination;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        _accepting = Accept(_stop.Token);
    }

    /// <summary>Starts a relay to <paramref name="destination"/>; SqlClient connects to <see cref="Port"/> on 127.0.0.1.</summary>
    public static TdsRoutingGuard Start(IPEndPoint destination, CancellationToken cancellation) => new(destination, cancellation);

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
            await using var fromClient = new NetworkStream(client, ownsSocket: false);
            await using var toServer = new NetworkStream(server, ownsSocket: false);
            var upstream = Copy(fromClient, toServer, cut);
            var downstream = Answers(toServer, fromClient, cut);
            await Task.WhenAny(upstream, downstream).ConfigureAwait(false);
            await cut.CancelAsync().ConfigureAwait(false);
            client.Close();
            server.Close();
            await Task.WhenAll(upstream, downstream).ConfigureAwait(false);
        }
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
    private async Task Answers(Stream server, Stream client, CancellationTokenSource cut)
    {
        try
        {
            var preLoginAnswered = false;
            while (true)
            {
                var header = new byte[HeaderLength];
                if (!await Fill(server, header.AsMemory(0, 1), cut.Token).ConfigureAwait(false)) return;
                if (header[0] is >= 0x14 and <= 0x17)
                {
                    // A TLS record outside a TDS packet: the session is encrypted from here on.
                    await client.WriteAsync(header.AsMemory(0, 1), cut.Token).ConfigureAwait(false);
                    await Copy(server, client, cut).ConfigureAwait(false);
                    return;
                }
                var message = await Message(server, header, cut.Token).ConfigureAwait(false);
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

    private sealed record TdsMessage(byte[] Packets, byte[] Payload);

    /// <summary>One TDS message of the type in <paramref name="header"/>[0]: its packets as read, and their payloads joined.</summary>
    private static async Task<TdsMessage?> Message(Stream server, byte[] header, CancellationToken cancellation)
    {
        using var packets = new MemoryStream();
        using var payload = new MemoryStream();
        var type = header[0];
        var first = true;
        while (true)
        {
            if (!await Fill(server, header.AsMemory(first ? 1 : 0), cancellation).ConfigureAwait(false)) return null;
            first = false;
            var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
            if (header[0] != type || length < HeaderLength || payload.Length + length > MaxLoginAnswerBytes)
                throw new InvalidDataException("Not a TDS message.");
            var body = new byte[length - HeaderLength];
            if (!await Fill(server, body, cancellation).ConfigureAwait(false)) return null;
            packets.Write(header);
            packets.Write(body);
            payload.Write(body);
            if ((header[1] & EndOfMessage) != 0)
                return new TdsMessage(packets.ToArray(), payload.ToArray());
        }
    }

    private static async Task<bool> Fill(Stream stream, Memory<byte> buffer, CancellationToken cancellation)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellation).ConfigureAwait(false);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
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
