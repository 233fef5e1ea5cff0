using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sources.Probing.Tests.MsSql;

/// <summary>
/// The least of a SQL Server on a loopback port: it answers PRELOGIN saying it does not support
/// encryption, and answers LOGIN7 with a routing ENVCHANGE to <see cref="RouteTo"/>, a LOGINACK
/// and a DONE, as a server that routes logins (an Azure SQL gateway, an availability group's
/// read-only routing) does. <see cref="RouteTo"/> is a second listener that counts connections.
/// </summary>
internal sealed class FakeTdsServer : IAsyncDisposable
{
    private readonly TcpListener _server = new(IPAddress.Loopback, 0);
    private readonly TcpListener _routed = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly Task _counting;
    private int _routedConnections;
    private int _logins;

    public FakeTdsServer()
    {
        _server.Start();
        _routed.Start();
        _serving = Serve(_stop.Token);
        _counting = Count(_stop.Token);
    }

    public int Port => ((IPEndPoint)_server.LocalEndpoint).Port;

    public IPEndPoint RouteTo => (IPEndPoint)_routed.LocalEndpoint;

    /// <summary>LOGIN7 messages the server read.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary>Connections the routed-to listener accepted.</summary>
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
                    var stream = client.GetStream();
                    await ReadMessage(stream, stop); // PRELOGIN
                    await stream.WriteAsync(Packet(0x04, PreLoginAnswer()), stop);
                    await ReadMessage(stream, stop); // LOGIN7
                    Interlocked.Increment(ref _logins);
                    await stream.WriteAsync(Packet(0x04, [.. Routing(RouteTo.Port), .. LoginAck(), .. Done()]), stop);
                    // Held open until the client leaves.
                    while (await stream.ReadAsync(new byte[512], stop) > 0)
                    {
                    }
                }
                catch (IOException)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task ReadMessage(NetworkStream stream, CancellationToken stop)
    {
        var header = new byte[8];
        do
        {
            await stream.ReadExactlyAsync(header, stop);
            await stream.ReadExactlyAsync(new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)) - 8], stop);
        } while ((header[1] & 0x01) == 0);
    }

    private static byte[] Packet(byte type, byte[] payload)
    {
        var packet = new byte[8 + payload.Length];
        packet[0] = type;
        packet[1] = 0x01; // end of message
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[6] = 1;
        payload.CopyTo(packet, 8);
        return packet;
    }

    /// <summary>VERSION, ENCRYPTION = not supported, MARS off.</summary>
    private static byte[] PreLoginAnswer() =>
    [
        0x00, 0, 16, 0, 6,
        0x01, 0, 22, 0, 1,
        0x04, 0, 23, 0, 1,
        0xFF,
        16, 0, 0x10, 0x00, 0, 0, // 16.0.4096.0
        0x02,
        0x00,
    ];

    /// <summary>ENVCHANGE type 20: protocol 0 (TCP), the port, the server name; no old value.</summary>
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

    /// <summary>LOGINACK: SQL, TDS 7.4, "Microsoft SQL Server" 16.0.</summary>
    private static byte[] LoginAck()
    {
        var program = Encoding.Unicode.GetBytes("Microsoft SQL Server");
        byte[] data = [0x01, 0x74, 0x00, 0x00, 0x04, (byte)(program.Length / 2), .. program, 16, 0, 0x10, 0x00];
        return [0xAD, .. Length(data.Length), .. data];
    }

    private static byte[] Done() => [0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static byte[] Length(int length) => [(byte)length, (byte)(length >> 8)];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Stop();
        _routed.Stop();
        await Task.WhenAll(_serving, _counting);
    }
}
