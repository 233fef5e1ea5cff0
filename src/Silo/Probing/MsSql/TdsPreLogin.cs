using System.Buffers.Binary;

namespace Sources.Silo.Probing.MsSql;

/// <summary>
/// The ENCRYPTION option of a PRELOGIN payload (MS-TDS 2.2.6.5): an option table of a type, a
/// two-byte offset and a two-byte length each, up to 0xFF, then the options' data.
/// </summary>
public static class TdsPreLogin
{
    public const byte EncryptOff = 0x00;
    public const byte EncryptOn = 0x01;
    public const byte EncryptNotSupported = 0x02;
    public const byte EncryptRequired = 0x03;

    private const byte EncryptionOption = 0x01;
    private const byte Terminator = 0xFF;

    /// <summary>Where the ENCRYPTION byte lies in <paramref name="payload"/>, or -1 when the table does not hold one.</summary>
    public static int EncryptionAt(ReadOnlySpan<byte> payload)
    {
        var at = 0;
        while (at < payload.Length && payload[at] != Terminator)
        {
            if (at + 5 > payload.Length)
                return -1;
            var offset = BinaryPrimitives.ReadUInt16BigEndian(payload[(at + 1)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(payload[(at + 3)..]);
            if (payload[at] == EncryptionOption)
                return length >= 1 && offset < payload.Length ? offset : -1;
            at += 5;
        }
        return -1;
    }

    /// <summary>The ENCRYPTION byte, or null when the payload has none.</summary>
    public static byte? Encryption(ReadOnlySpan<byte> payload) =>
        EncryptionAt(payload) is var at and >= 0 ? payload[at] : null;

    /// <summary>
    /// A copy of one PRELOGIN message (<paramref name="packets"/>, a single packet: a prelogin is
    /// far below a packet's size) with its ENCRYPTION byte set to <paramref name="value"/>; null
    /// when it spans packets or holds no ENCRYPTION option.
    /// </summary>
    public static byte[]? WithEncryption(byte[] packets, byte value)
    {
        const int header = TdsMessages.HeaderLength;
        if (packets.Length < header || BinaryPrimitives.ReadUInt16BigEndian(packets.AsSpan(2)) != packets.Length)
            return null;
        var at = EncryptionAt(packets.AsSpan(header));
        if (at < 0)
            return null;
        var copy = (byte[])packets.Clone();
        copy[header + at] = value;
        return copy;
    }
}
