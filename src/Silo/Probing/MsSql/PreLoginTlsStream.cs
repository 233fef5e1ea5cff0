using System.Buffers.Binary;

namespace Sources.Silo.Probing.MsSql;

/// <summary>
/// The stream under SslStream for TDS 7.x encryption (MS-TDS 3.3.5.2): while the handshake runs,
/// each write goes out in PRELOGIN packets (type 0x12) and reads take the payloads of the
/// server's PRELOGIN packets; after <see cref="Unwrap"/> the TLS records travel bare.
/// </summary>
internal sealed class PreLoginTlsStream(Stream inner) : Stream
{
    private const byte PreLogin = 0x12;
    private const int HeaderLength = 8;

    /// <summary>The default TDS packet size, which holds before the login says another.</summary>
    private const int PacketSize = 4096;

    private bool _wrapping = true;
    private int _left;
    private byte _packetId;

    /// <summary>The handshake is done: from here, bytes pass unchanged.</summary>
    public void Unwrap() => _wrapping = false;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // A read of no bytes (SslStream waits so) passes on as it is: it waits for data and reads none.
        if (!_wrapping || buffer.IsEmpty)
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        var header = new byte[HeaderLength];
        while (_left == 0)
        {
            try
            {
                await inner.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
            }
            catch (EndOfStreamException)
            {
                return 0;
            }
            var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
            if (header[0] != PreLogin || length < HeaderLength)
                throw new IOException("The server sent something else than a PRELOGIN packet during the TLS handshake.");
            _left = length - HeaderLength;
        }
        var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, _left)], cancellationToken).ConfigureAwait(false);
        if (read == 0)
            throw new IOException("The server closed the connection inside a PRELOGIN packet.");
        _left -= read;
        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_wrapping)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }
        const int most = PacketSize - HeaderLength;
        do
        {
            var chunk = buffer[..Math.Min(most, buffer.Length)];
            buffer = buffer[chunk.Length..];
            var packet = new byte[HeaderLength + chunk.Length];
            packet[0] = PreLogin;
            packet[1] = buffer.IsEmpty ? (byte)0x01 : (byte)0x00;
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
            packet[6] = ++_packetId;
            chunk.CopyTo(packet.AsMemory(HeaderLength));
            await inner.WriteAsync(packet, cancellationToken).ConfigureAwait(false);
        } while (!buffer.IsEmpty);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
