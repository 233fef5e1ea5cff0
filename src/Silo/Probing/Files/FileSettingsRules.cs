using Microsoft.Extensions.Options;
using Sources.Silo.Hosting;

namespace Sources.Silo.Probing.Files;

/// <summary>What "Sources:Files" must hold (README, configuration).</summary>
public sealed class FileSettingsRules : IValidateOptions<FileSettings>
{
    public const string Section = "Sources:Files";

    /// <summary>The longest any of the section's durations may be: past a day, a value is a typo, not a choice.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, FileSettings settings) => new SettingRules()
        .AtLeast($"{Section}:MaxFileBytes", settings.MaxFileBytes, 1)
        .AtLeast($"{Section}:MaxSourceBytes", settings.MaxSourceBytes, 1)
        .Require(settings.MaxSourceBytes >= settings.MaxFileBytes, $"{Section}:MaxSourceBytes", settings.MaxSourceBytes,
            $"it must be at least {Section}:MaxFileBytes ({settings.MaxFileBytes})")
        .AtLeast($"{Section}:MaxAccountBytes", settings.MaxAccountBytes, 0)
        .AtLeast($"{Section}:MinBytesPerSecond", settings.MinBytesPerSecond, 1)
        .Within($"{Section}:RateWindow", settings.RateWindow, Longest)
        .Within($"{Section}:IdleTimeout", settings.IdleTimeout, Longest)
        .Within($"{Section}:MaxProbeDuration", settings.MaxProbeDuration, Longest)
        .AtLeast($"{Section}:MaxXlsxCells", settings.MaxXlsxCells, 1)
        .AtLeast($"{Section}:MaxXlsxEntryBytes", settings.MaxXlsxEntryBytes, 1)
        .AtLeast($"{Section}:MaxXlsxColumns", settings.MaxXlsxColumns, 1)
        .AtLeast($"{Section}:MaxRedirects", settings.MaxRedirects, 0)
        .AtMost($"{Section}:MaxRedirects", settings.MaxRedirects, 20)
        .Within($"{Section}:SweepInterval", settings.SweepInterval, Longest)
        .Require(settings.Directory is null || settings.Directory.Trim().Length > 0, $"{Section}:Directory", settings.Directory, "it must name a folder")
        .Result;
}
