using System.Security.Cryptography;

namespace Sources.Silo.Secrets;

/// <summary>
/// The keys secrets are sealed under: the current one seals, any of them unseals, so keys can
/// rotate by moving the old key to the previous list. A key's id is derived from the key.
/// </summary>
public sealed class MasterKeys
{
    public const int KeySize = 32;
    public const int IdSize = 8;

    private readonly Dictionary<string, byte[]> _byId = new(StringComparer.Ordinal);

    public MasterKeys(byte[] current, IEnumerable<byte[]>? previous = null)
    {
        Current = Check(current);
        CurrentId = IdOf(Current);
        _byId[Convert.ToHexString(CurrentId)] = Current;
        foreach (var key in previous ?? [])
            _byId.TryAdd(Convert.ToHexString(IdOf(Check(key))), key);
    }

    public byte[] Current { get; }
    public byte[] CurrentId { get; }

    public byte[]? Find(ReadOnlySpan<byte> id) => _byId.GetValueOrDefault(Convert.ToHexString(id));

    public static byte[] IdOf(byte[] key) => SHA256.HashData(key)[..IdSize];

    /// <summary>
    /// The keys from configuration (base64), or else the key file in the data folder, created
    /// with owner-only permissions on first use. A configured key always wins.
    /// </summary>
    public static MasterKeys Load(string? configuredKey, IEnumerable<string>? previousKeys, string keyFile)
    {
        var previous = (previousKeys ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).Select(Decode).ToList();
        if (!string.IsNullOrWhiteSpace(configuredKey))
            return new MasterKeys(Decode(configuredKey), previous);
        return new MasterKeys(ReadOrCreate(keyFile), previous);
    }

    private static byte[] ReadOrCreate(string keyFile)
    {
        if (File.Exists(keyFile))
            return Decode(File.ReadAllText(keyFile).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(keyFile))!);
        var key = RandomNumberGenerator.GetBytes(KeySize);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(keyFile, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(Convert.ToBase64String(key));
        return key;
    }

    private static byte[] Decode(string base64)
    {
        try
        {
            return Check(Convert.FromBase64String(base64.Trim()));
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"A master key must be {KeySize} bytes in base64.");
        }
    }

    private static byte[] Check(byte[] key) => key.Length == KeySize
        ? key
        : throw new InvalidOperationException($"A master key must be {KeySize} bytes in base64.");
}
