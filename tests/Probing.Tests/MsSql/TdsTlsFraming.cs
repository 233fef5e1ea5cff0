using System.Buffers.Binary;

namespace Sources.Probing.Tests.MsSql;

/// <summary>
/// The server's side of TDS 7.x encryption, as the test's fake server speaks it: during the
/// handshake its TLS records go out inside PRELOGIN packets and the client's come in inside
/// them; after <see cref="Bare"/> the records pass unchanged.
/// </summary>
internal sealed class TdsTlsFraming(Stream inner) : Stream
{
    private bool _framing = true;
    private int _left;

    public void Bare() => _framing = false;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_framing) return await inner.ReadAsync(buffer, cancellationToken);
        if (_left == 0)
        {
            var header = new byte[8];
            await inner.ReadExactlyAsync(header, cancellationToken);
            if (header[0] != 0x12) throw new IOException("not a PRELOGIN packet");
            _left = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2)) - 8;
        }
        var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, _left)], cancellationToken);
        _left -= read;
        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_framing)
        {
            await inner.WriteAsync(buffer, cancellationToken);
            return;
        }
        var packet = new byte[8 + buffer.Length];
        packet[0] = 0x12;
        packet[1] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        buffer.CopyTo(packet.AsMemory(8));
        await inner.WriteAsync(packet, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
