using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Sources.Probing.Tests.MsSql;

/// <summary>
/// The least of a SQL Server that encrypts the whole session, on a loopback port: TDS 7.x (its
/// prelogin answer says ENCRYPT_ON, the TLS handshake travels inside PRELOGIN packets, then bare
/// TLS records) or TDS 8 (TLS first, ALPN "tds/8.0", then the prelogin inside it). It presents
/// the certificate given, alone. Inside TLS it answers LOGIN7 either with a routing ENVCHANGE to
/// <see cref="RouteTo"/> (a listener that counts connections) or with login error 18456.
/// </summary>
internal sealed class FakeTlsTdsServer : IAsyncDisposable
{
    private readonly TcpListener _server = new(IPAddress.Loopback, 0);
    private readonly TcpListener _routed = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly bool _strict;
    private readonly bool _routes;
    private readonly Task _serving;
    private readonly Task _counting;
    private int _routedConnections;
    private int _logins;
    private int _handshakes;

    public FakeTlsTdsServer(X509Certificate2 certificate, bool strict, bool routes)
    {
        _certificate = certificate;
        _strict = strict;
        _routes = routes;
        _server.Start();
        _routed.Start();
        _serving = Serve(_stop.Token);
        _counting = Count(_stop.Token);
    }

    public int Port => ((IPEndPoint)_server.LocalEndpoint).Port;

    public IPEndPoint RouteTo => (IPEndPoint)_routed.LocalEndpoint;

    /// <summary>LOGIN7 messages read inside TLS.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary>TLS handshakes completed.</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    public int RoutedConnections => Volatile.Read(ref _routedConnections);

    private async Task Count(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                using var socket = await _routed.AcceptSocketAsync(stop);
                Interlocked.Increment(ref _routedConnections);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task Serve(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                using var client = await _server.AcceptTcpClientAsync(stop);
                try
                {
                    await Session(client.GetStream(), stop);
                }
                catch (Exception ex) when (ex is IOException or AuthenticationException)
                {
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private async Task Session(NetworkStream network, CancellationToken stop)
    {
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(_certificate, additionalCertificates: null, offline: true),
        };
        SslStream tls;
        if (_strict)
        {
            options.ApplicationProtocols = [new SslApplicationProtocol("tds/8.0")];
            tls = new SslStream(network);
            await tls.AuthenticateAsServerAsync(options, stop);
            Interlocked.Increment(ref _handshakes);
            await ReadMessage(tls, stop); // PRELOGIN
            await tls.WriteAsync(Packet(0x04, PreLoginAnswer(encryption: 0x02)), stop);
        }
        else
        {
            var preLogin = await ReadMessage(network, stop);
            if (Encryption(preLogin) != 0x01)
                return; // this server encrypts everything, and the client did not ask to
            await network.WriteAsync(Packet(0x04, PreLoginAnswer(encryption: 0x01)), stop);
            var framing = new TdsTlsFraming(network);
            tls = new SslStream(framing);
            options.EnabledSslProtocols = SslProtocols.Tls12;
            await tls.AuthenticateAsServerAsync(options, stop);
            framing.Bare();
            Interlocked.Increment(ref _handshakes);
        }
        await using (tls)
        {
            await ReadMessage(tls, stop); // LOGIN7
            Interlocked.Increment(ref _logins);
            byte[] answer = _routes ? [.. Routing(RouteTo.Port), .. LoginAck(), .. Done(0)] : [.. LoginFailed(), .. Done(0x02)];
            await tls.WriteAsync(Packet(0x04, answer), stop);
            while (await tls.ReadAsync(new byte[512], stop) > 0)
            {
            }
        }
    }

    private static async Task<byte[]> ReadMessage(Stream stream, CancellationToken stop)
    {
        var header = new byte[8];
        using var payload = new MemoryStream();
        do
        {
            await stream.ReadExactlyAsync(header, stop);
            var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)) - 8];
            await stream.ReadExactlyAsync(body, stop);
            payload.Write(body);
        } while ((header[1] & 0x01) == 0);
        return payload.ToArray();
    }

    /// <summary>The ENCRYPTION byte of a prelogin (option 0x01 in the option table).</summary>
    private static int Encryption(byte[] preLogin)
    {
        for (var at = 0; at + 5 <= preLogin.Length && preLogin[at] != 0xFF; at += 5)
            if (preLogin[at] == 0x01)
                return preLogin[BinaryPrimitives.ReadUInt16BigEndian(preLogin.AsSpan(at + 1))];
        return -1;
    }

    private static byte[] Packet(byte type, byte[] payload)
    {
        var packet = new byte[8 + payload.Length];
        packet[0] = type;
        packet[1] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[6] = 1;
        payload.CopyTo(packet, 8);
        return packet;
    }

    /// <summary>VERSION, ENCRYPTION, MARS off.</summary>
    private static byte[] PreLoginAnswer(byte encryption) =>
    [
        0x00, 0, 16, 0, 6,
        0x01, 0, 22, 0, 1,
        0x04, 0, 23, 0, 1,
        0xFF,
        16, 0, 0x10, 0x00, 0, 0,
        encryption,
        0x00,
    ];

    private static byte[] Routing(int port)
    {
        var name = Encoding.Unicode.GetBytes("127.0.0.1");
        var value = new byte[1 + 2 + 2 + name.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(1), (ushort)port);
        BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(3), (ushort)(name.Length / 2));
        name.CopyTo(value, 5);
        var data = new byte[1 + 2 + value.Length + 2];
        data[0] = 20;
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(1), (ushort)value.Length);
        value.CopyTo(data, 3);
        return [0xE3, .. Length(data.Length), .. data];
    }

    private static byte[] LoginAck()
    {
        var program = Encoding.Unicode.GetBytes("Microsoft SQL Server");
        byte[] data = [0x01, 0x74, 0x00, 0x00, 0x04, (byte)(program.Length / 2), .. program, 16, 0, 0x10, 0x00];
        return [0xAD, .. Length(data.Length), .. data];
    }

    /// <summary>ERROR 18456, class 14: number, state, class, message, server, procedure, line.</summary>
    private static byte[] LoginFailed()
    {
        var message = Encoding.Unicode.GetBytes("Login failed for user 'sa'.");
        var server = Encoding.Unicode.GetBytes("fake");
        byte[] data =
        [
            .. BitConverter.GetBytes(18456), 1, 14,
            .. Length(message.Length / 2), .. message,
            (byte)(server.Length / 2), .. server,
            0,
            0, 0, 0, 0,
        ];
        return [0xAA, .. Length(data.Length), .. data];
    }

    private static byte[] Done(byte status) => [0xFD, status, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static byte[] Length(int length) => [(byte)length, (byte)(length >> 8)];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Stop();
        _routed.Stop();
        await Task.WhenAll(_serving, _counting);
    }
}
