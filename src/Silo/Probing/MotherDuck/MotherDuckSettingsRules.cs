using Microsoft.Extensions.Options;
using Sources.Silo.Hosting;

namespace Sources.Silo.Probing.MotherDuck;

/// <summary>What "Sources:MotherDuck" must hold.</summary>
public sealed class MotherDuckSettingsRules : IValidateOptions<MotherDuckSettings>
{
    public const string Section = "Sources:MotherDuck";

    public ValidateOptionsResult Validate(string? name, MotherDuckSettings settings) => new SettingRules()
        .Within($"{Section}:ExtensionRetry", settings.ExtensionRetry, TimeSpan.FromDays(1))
        .Result;
}
