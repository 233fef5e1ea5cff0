namespace Sources.Silo.Hosting;

/// <summary>"Sources:Role": what a process of the service does.</summary>
public enum SourcesRole
{
    /// <summary>The default: the HTTP API with a silo in the same process.</summary>
    All,

    /// <summary>A headless silo: grains, probes, storage; no HTTP.</summary>
    Silo,

    /// <summary>The HTTP API only, as a client of an external cluster (postgres mode).</summary>
    Client,
}
