namespace Sources.Silo.Probing.MotherDuck;

/// <summary>"Sources:MotherDuck": how the node gets DuckDB's MotherDuck extension.</summary>
public sealed class MotherDuckSettings
{
    /// <summary>After a failed install, how long MotherDuck probes answer unsupported before the node tries again.</summary>
    public TimeSpan ExtensionRetry { get; set; } = TimeSpan.FromMinutes(10);
}
