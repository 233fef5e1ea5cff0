using System.Buffers.Binary;

namespace Sources.Silo.Probing.MsSql;

/// <summary>One TDS message: its packets as read, and their payloads joined.</summary>
public sealed record TdsMessage(byte[] Packets, byte[] Payload);

/// <summary>Reads TDS messages (MS-TDS 2.2.3: an eight-byte header, the length in bytes 2-3, end of message in bit 0 of byte 1).</summary>
public static class TdsMessages
{
    public const int HeaderLength = 8;
    private const byte EndOfMessage = 0x01;

    /// <summary>The most one message may hold before its end; a prelogin or login answer is far smaller.</summary>
    public const int MaxMessageBytes = 1 << 20;

    /// <summary>One message of the type in <paramref name="header"/>[0], whose first byte was read already; null at the end of the stream.</summary>
    public static async Task<TdsMessage?> Read(Stream stream, byte[] header, CancellationToken cancellation)
    {
        using var packets = new MemoryStream();
        using var payload = new MemoryStream();
        var type = header[0];
        var first = true;
        while (true)
        {
            if (!await Fill(stream, header.AsMemory(first ? 1 : 0), cancellation).ConfigureAwait(false)) return null;
            first = false;
            var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
            if (header[0] != type || length < HeaderLength || payload.Length + length > MaxMessageBytes)
                throw new InvalidDataException("Not a TDS message.");
            var body = new byte[length - HeaderLength];
            if (!await Fill(stream, body, cancellation).ConfigureAwait(false)) return null;
            packets.Write(header);
            packets.Write(body);
            payload.Write(body);
            if ((header[1] & EndOfMessage) != 0)
                return new TdsMessage(packets.ToArray(), payload.ToArray());
        }
    }

    public static async Task<bool> Fill(Stream stream, Memory<byte> buffer, CancellationToken cancellation)
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
}
