using Sources.Silo.Storage;

namespace Sources.Silo.Hosting;

/// <summary>The configuration section "Sources": every setting an operator may give.</summary>
public sealed class SourcesSettings
{
    public const string Section = "Sources";

    /// <summary>"embedded" (SQLite, one node) or "postgres" (a cluster).</summary>
    public string Storage { get; set; } = "embedded";

    /// <summary>Where embedded mode keeps its database and master key file.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>PostgreSQL connection string (postgres mode).</summary>
    public string? ConnectionString { get; set; }

    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    public string ClusterId { get; set; } = "sources";

    /// <summary>Base64 of 32 bytes. Required in postgres mode, where every node must share it.</summary>
    public string? MasterKey { get; set; }

    /// <summary>Earlier master keys, still able to unseal what they sealed.</summary>
    public List<string> PreviousMasterKeys { get; set; } = [];

    public StorageMode Mode => Storage.Trim().ToLowerInvariant() switch
    {
        "embedded" or "sqlite" => StorageMode.Embedded,
        "postgres" or "postgresql" => StorageMode.Postgres,
        var other => throw new InvalidOperationException($"Sources:Storage is '{other}'; use 'embedded' or 'postgres'."),
    };

    public StorageOptions ToStorageOptions() => new()
    {
        Mode = Mode,
        DataDirectory = DataDirectory,
        ConnectionString = ConnectionString,
        ClusterId = ClusterId,
        SiloPort = SiloPort,
        GatewayPort = GatewayPort,
    };
}
