using Microsoft.Extensions.Options;
using Sources.Silo.Hosting;

namespace Sources.Silo.Probing;

/// <summary>What "Sources:Probe" must hold (docs/configuration.md).</summary>
public sealed class ProbeSettingsRules : IValidateOptions<ProbeSettings>
{
    public const string Section = "Sources:Probe";

    public ValidateOptionsResult Validate(string? name, ProbeSettings settings) => new SettingRules()
        .Positive($"{Section}:Deadline", settings.Deadline)
        .Within($"{Section}:CheckBudget", settings.CheckBudget, TimeSpan.FromMinutes(5))
        .AtLeast($"{Section}:Concurrency", settings.Concurrency, 0)
        .AtLeast($"{Section}:PerAccount", settings.PerAccount, 0)
        .AtLeast($"{Section}:BlockingThreads", settings.BlockingThreads, 0)
        .Positive($"{Section}:Interval", settings.Interval)
        .Require(settings.MaxBackoff >= settings.Interval, $"{Section}:MaxBackoff", settings.MaxBackoff, $"it must be at least {Section}:Interval ({settings.Interval})")
        .Require(settings.ExpiryWarning >= TimeSpan.Zero, $"{Section}:ExpiryWarning", settings.ExpiryWarning, "it must not be negative")
        .AtLeast($"{Section}:HistorySize", settings.HistorySize, 1)
        .Result;
}
