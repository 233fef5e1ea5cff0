namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// How one service node is configured, as the environment variables an operator would set. The
/// working directory is a temp folder of the node's own; in embedded mode it also holds the data.
/// </summary>
public sealed record ServiceConfig
{
    public required string WorkingDirectory { get; init; }
    public string Storage { get; init; } = "embedded";
    public string? ConnectionString { get; init; }
    public string? MasterKey { get; init; }
    public string? BootstrapKey { get; init; }

    /// <summary>Further settings, by environment variable name (e.g. Sources__Probe__Deadline).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Embedded mode's SQLite database and key file live here.</summary>
    public string DataDirectory => Path.Combine(WorkingDirectory, "data");

    public static ServiceConfig Embedded(string? bootstrapKey) => new()
    {
        WorkingDirectory = NewFolder(),
        BootstrapKey = bootstrapKey,
    };

    /// <summary>
    /// The node the shared fixtures run, as a child (<see cref="EmbeddedService"/>) or in-process
    /// (<see cref="InProcessService"/>): embedded, and with a probe deadline long enough that a check
    /// which cannot finish (see <see cref="SilentServer"/>) keeps its source pending for the whole run.
    /// </summary>
    public static ServiceConfig SharedEmbedded(string bootstrapKey) => Embedded(bootstrapKey) with
    {
        Settings = new Dictionary<string, string> { ["Sources__Probe__Deadline"] = "00:10:00" },
    };

    public static ServiceConfig Postgres(string connectionString, string masterKey, string? bootstrapKey) => new()
    {
        WorkingDirectory = NewFolder(),
        Storage = "postgres",
        ConnectionString = connectionString,
        MasterKey = masterKey,
        BootstrapKey = bootstrapKey,
    };

    /// <summary>The variables this configuration sets, on the given cluster ports.</summary>
    public IEnumerable<KeyValuePair<string, string>> Environment(Ports ports)
    {
        yield return new("Sources__Storage", Storage);
        yield return new("Sources__DataDirectory", DataDirectory);
        yield return new("Sources__SiloPort", ports.Silo.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("Sources__GatewayPort", ports.Gateway.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (ConnectionString is not null) yield return new("Sources__ConnectionString", ConnectionString);
        if (MasterKey is not null) yield return new("Sources__MasterKey", MasterKey);
        if (BootstrapKey is not null) yield return new("SOURCES_BOOTSTRAP_API_KEY", BootstrapKey);
        foreach (var (name, value) in SuiteDefaults)
            if (!Settings.ContainsKey(name))
                yield return new(name, value);
        foreach (var setting in Settings)
            yield return setting;
    }

    /// <summary>
    /// The suite makes far more requests per key than a person would, so the request limits are
    /// off unless a test sets them (LimitsTests does, with tiny ones).
    /// </summary>
    private static readonly Dictionary<string, string> SuiteDefaults = new[] { "Create", "UpdateConfig", "Test", "KeyPairs" }
        .SelectMany(operation => new[] { $"Sources__Limits__{operation}__PerAccount", $"Sources__Limits__{operation}__PerKey" })
        .ToDictionary(name => name, _ => "0");

    private static string NewFolder() => Directory.CreateTempSubdirectory("sources-api-").FullName;
}
