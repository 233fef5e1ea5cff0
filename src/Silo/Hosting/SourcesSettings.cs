using Sources.Silo.Storage;

namespace Sources.Silo.Hosting;

/// <summary>The configuration section "Sources": every setting an operator may give.</summary>
public sealed class SourcesSettings
{
    public const string Section = "Sources";

    /// <summary>all (API and silo), silo (headless) or client (API joined to an external cluster).</summary>
    public SourcesRole Role { get; set; } = SourcesRole.All;

    /// <summary>"embedded" (SQLite, one node) or "postgres" (a cluster).</summary>
    public string Storage { get; set; } = "embedded";

    /// <summary>Where embedded mode keeps its database and master key file.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>PostgreSQL connection string (postgres mode).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Postgres mode: the address other nodes reach this one on (loopback for a one-machine cluster).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Postgres mode: where the silo and gateway listen, when that is not the advertised
    /// address (e.g. <c>0.0.0.0</c> behind NAT). Unset, they listen on the advertised address only.</summary>
    public string? ListenAddress { get; set; }

    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    public string ClusterId { get; set; } = "sources";

    /// <summary>How the cluster's nodes and clients authenticate each other.</summary>
    public ClusterTransportSettings Cluster { get; set; } = new();

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

    /// <summary>
    /// Reads the "Sources" section and checks it (<see cref="SourcesSettingsRules"/>) at once: the
    /// node is composed from these settings (its role, its storage, its cluster), so they are
    /// checked before anything is built, not when the host starts.
    /// </summary>
    /// <exception cref="SettingsRefusedException">A setting breaks a rule; each failure names its key.</exception>
    public static SourcesSettings From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var settings = ValidatedSettings.Read<SourcesSettings>(configuration, Section);
        settings.ConnectionString ??= Microsoft.Extensions.Configuration.ConfigurationExtensions.GetConnectionString(configuration, "Sources");
        var result = new SourcesSettingsRules().Validate(null, settings);
        if (result.Failed)
            throw new SettingsRefusedException([.. result.Failures!]);
        return settings;
    }

    /// <summary>The role of this process, read from the whole configuration (files, environment, arguments).</summary>
    public static SourcesRole RoleIn(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        Microsoft.Extensions.Configuration.ConfigurationBinder.GetValue(configuration, $"{Section}:{nameof(Role)}", SourcesRole.All);

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
