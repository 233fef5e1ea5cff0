using Microsoft.Extensions.Options;
using Sources.Silo.Hosting;

namespace Sources.Silo.Probing.Targets;

/// <summary>What "Sources:Probe:AuthFailures" must hold; Max 0 turns the cap off.</summary>
public sealed class AuthFailureSettingsRules : IValidateOptions<AuthFailureSettings>
{
    public const string Section = "Sources:Probe:AuthFailures";

    public ValidateOptionsResult Validate(string? name, AuthFailureSettings settings) => new SettingRules()
        .AtLeast($"{Section}:Max", settings.Max, 0)
        .AtMost($"{Section}:Max", settings.Max, 1_000)
        .Within($"{Section}:Window", settings.Window, TimeSpan.FromDays(1))
        .Result;
}
