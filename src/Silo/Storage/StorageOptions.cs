namespace Sources.Silo.Storage;

/// <summary>Where the silo keeps grain state and cluster membership.</summary>
public enum StorageMode
{
    /// <summary>One node, nothing to install: SQLite files under <see cref="StorageOptions.DataDirectory"/>,
    /// localhost clustering (no membership table).</summary>
    Embedded,

    /// <summary>Any number of nodes sharing one PostgreSQL database for membership and state.</summary>
    Postgres,
}

/// <summary>
/// The one setting that chooses between the embedded and the cluster deployment; everything else in
/// the storage layer follows from it, so both modes run the same code path.
/// </summary>
public sealed record StorageOptions
{
    public StorageMode Mode { get; init; } = StorageMode.Embedded;

    /// <summary>Embedded mode: folder for the SQLite database file; created when missing.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>Postgres mode: an Npgsql connection string. Ignored in embedded mode.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Silos with the same cluster id form one cluster (membership rows are keyed by it).</summary>
    public string ClusterId { get; init; } = "sources";

    /// <summary>Grain state is keyed by it, so it must stay the same across deployments.</summary>
    public string ServiceId { get; init; } = "sources";

    /// <summary>Embedded mode: silo-to-silo port for localhost clustering. In postgres mode the host
    /// configures endpoints itself, since only it knows the address other nodes reach it on.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Embedded mode: client gateway port for localhost clustering.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>Fails at start-up, with the setting's name, rather than at the first grain call.</summary>
    public void Validate()
    {
        switch (Mode)
        {
            case StorageMode.Embedded when string.IsNullOrWhiteSpace(DataDirectory):
                throw new ArgumentException($"{nameof(DataDirectory)} is required in embedded mode.");
            case StorageMode.Postgres when string.IsNullOrWhiteSpace(ConnectionString):
                throw new ArgumentException($"{nameof(ConnectionString)} is required in postgres mode.");
            case StorageMode.Embedded or StorageMode.Postgres:
                break;
            default:
                throw new ArgumentException($"Unknown storage mode {Mode}.");
        }

        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            throw new ArgumentException($"{nameof(ClusterId)} and {nameof(ServiceId)} are required.");
        }

        if (SiloPort is <= 0 or > 65535 || GatewayPort is <= 0 or > 65535)
        {
            throw new ArgumentException($"{nameof(SiloPort)} and {nameof(GatewayPort)} must be TCP ports.");
        }
    }
}
