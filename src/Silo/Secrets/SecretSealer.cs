using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sources.Silo.Secrets;

/// <summary>
/// Seals a source's secrets with AES-256-GCM. The sealed form is
/// <c>version(1) | key id(8) | nonce(12) | tag(16) | ciphertext</c>; the source id is bound in
/// as associated data, so a sealed blob copied onto another source does not open.
/// </summary>
public sealed class SecretSealer(MasterKeys keys)
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + MasterKeys.IdSize + NonceSize + TagSize;

    public byte[] Seal(ReadOnlySpan<byte> plaintext, long sourceId)
    {
        var sealedBox = new byte[HeaderSize + plaintext.Length];
        sealedBox[0] = Version;
        keys.CurrentId.CopyTo(sealedBox.AsSpan(1));
        var nonce = sealedBox.AsSpan(1 + MasterKeys.IdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.Current, TagSize);
        aes.Encrypt(nonce, plaintext, sealedBox.AsSpan(HeaderSize), sealedBox.AsSpan(1 + MasterKeys.IdSize + NonceSize, TagSize), Context(sourceId));
        return sealedBox;
    }

    /// <exception cref="CryptographicException">The box is damaged, for another source, or under an unknown key.</exception>
    public byte[] Unseal(ReadOnlySpan<byte> sealedBox, long sourceId)
    {
        if (sealedBox.Length < HeaderSize || sealedBox[0] != Version)
            throw new CryptographicException("The sealed secrets are not in a known format.");
        var key = keys.Find(sealedBox.Slice(1, MasterKeys.IdSize))
            ?? throw new CryptographicException("The sealed secrets are under a master key this node does not have.");
        var plaintext = new byte[sealedBox.Length - HeaderSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(sealedBox.Slice(1 + MasterKeys.IdSize, NonceSize), sealedBox[HeaderSize..],
            sealedBox.Slice(1 + MasterKeys.IdSize + NonceSize, TagSize), plaintext, Context(sourceId));
        return plaintext;
    }

    /// <summary>Whether the box is sealed under the current key already (so re-sealing it would change nothing).</summary>
    public bool IsCurrent(ReadOnlySpan<byte> sealedBox) =>
        sealedBox.Length >= HeaderSize && sealedBox[0] == Version && sealedBox.Slice(1, MasterKeys.IdSize).SequenceEqual(keys.CurrentId);

    /// <summary>The same secret sealed again under the current key, with a fresh nonce.</summary>
    /// <exception cref="CryptographicException">As <see cref="Unseal"/>.</exception>
    public byte[] Reseal(ReadOnlySpan<byte> sealedBox, long sourceId)
    {
        var plaintext = Unseal(sealedBox, sourceId);
        try
        {
            return Seal(plaintext, sourceId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] Context(long sourceId)
    {
        var context = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(context, sourceId);
        return context;
    }
}
