using Microsoft.Extensions.Options;
using Sources.Silo.Hosting;

namespace Sources.Silo.Grains.Keys;

/// <summary>What "Sources:Keys" must hold.</summary>
public sealed class KeyCacheSettingsRules : IValidateOptions<KeyCacheSettings>
{
    public const string Section = "Sources:Keys";

    public ValidateOptionsResult Validate(string? name, KeyCacheSettings settings) => new SettingRules()
        .AtLeast($"{Section}:UnknownIds", settings.UnknownIds, 0)
        .Require(settings.UnknownFor >= TimeSpan.Zero, $"{Section}:UnknownFor", settings.UnknownFor, "it must not be negative")
        .Result;
}
