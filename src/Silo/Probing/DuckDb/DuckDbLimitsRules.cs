using Microsoft.Extensions.Options;
using Sources.Silo.Hosting;

namespace Sources.Silo.Probing.DuckDb;

/// <summary>What "Sources:DuckDb" must hold: each connection gets at least a thread and some memory.</summary>
public sealed class DuckDbLimitsRules : IValidateOptions<DuckDbLimits>
{
    public const string Section = "Sources:DuckDb";

    public ValidateOptionsResult Validate(string? name, DuckDbLimits settings) => new SettingRules()
        .AtLeast($"{Section}:Threads", settings.Threads, 1)
        .AtMost($"{Section}:Threads", settings.Threads, 256)
        // DuckDB refuses to run a query in less than a few MiB.
        .AtLeast($"{Section}:MemoryLimitBytes", settings.MemoryLimitBytes, 16L << 20)
        .AtLeast($"{Section}:MaxTempDirectoryBytes", settings.MaxTempDirectoryBytes, 0)
        .Result;
}
