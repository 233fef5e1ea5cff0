using System.Buffers.Binary;
using System.Text;

namespace Sources.Probing.Tests.MsSql;

/// <summary>The TDS messages the tests' fake SQL Servers read and send.</summary>
internal static class TdsWire
{
    /// <summary>The payload of one whole message, over as many packets as it takes.</summary>
    public static async Task<byte[]> ReadMessage(Stream stream, CancellationToken stop)
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

    /// <summary>One packet holding the whole message (status: end of message).</summary>
    public static byte[] Packet(byte type, byte[] payload)
    {
        var packet = new byte[8 + payload.Length];
        packet[0] = type;
        packet[1] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[6] = 1;
        payload.CopyTo(packet, 8);
        return packet;
    }

    /// <summary>A prelogin answer with VERSION 16.0.4096, the ENCRYPTION byte given (0x00 off, 0x01 on, 0x02 not supported), MARS off.</summary>
    public static byte[] PreLoginAnswer(byte encryption) =>
    [
        0x00, 0, 16, 0, 6,
        0x01, 0, 22, 0, 1,
        0x04, 0, 23, 0, 1,
        0xFF,
        16, 0, 0x10, 0x00, 0, 0,
        encryption,
        0x00,
    ];

    /// <summary>ENVCHANGE type 20: protocol 0 (TCP), the port, the server name; no old value.</summary>
    public static byte[] Routing(int port)
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
    public static byte[] LoginAck()
    {
        var program = Encoding.Unicode.GetBytes("Microsoft SQL Server");
        byte[] data = [0x01, 0x74, 0x00, 0x00, 0x04, (byte)(program.Length / 2), .. program, 16, 0, 0x10, 0x00];
        return [0xAD, .. Length(data.Length), .. data];
    }

    /// <summary>ERROR 18456, class 14: number, state, class, message, server, procedure, line.</summary>
    public static byte[] LoginFailed()
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

    public static byte[] Done(byte status) => [0xFD, status, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    public static byte[] Length(int length) => [(byte)length, (byte)(length >> 8)];
}
