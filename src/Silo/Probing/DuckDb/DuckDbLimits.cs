namespace Sources.Silo.Probing.DuckDb;

/// <summary>
/// "Sources:DuckDb": what one DuckDB connection Sources opens may use. DuckDB's defaults are every core, 80 % of
/// the machine's memory and spilling to disk until it is nearly full, per connection; a probe
/// shares the node with every other probe and request, so each gets a small fixed share.
/// </summary>
public sealed class DuckDbLimits
{
    public int Threads { get; set; } = 1;

    public long MemoryLimitBytes { get; set; } = 256L << 20;

    /// <summary>How much a query may spill to its temp folder (inside the import's own folder) before it fails.</summary>
    public long MaxTempDirectoryBytes { get; set; } = 1L << 30;
}
