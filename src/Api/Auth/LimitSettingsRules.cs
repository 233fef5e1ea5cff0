using Microsoft.Extensions.Options;
using Sources.Silo.Hosting;

namespace Sources.Api.Auth;

/// <summary>What "Sources:Limits" must hold; a count of 0 or less is allowed, and turns its limit off.</summary>
public sealed class LimitSettingsRules : IValidateOptions<LimitSettings>
{
    public ValidateOptionsResult Validate(string? name, LimitSettings settings) => new SettingRules()
        .Positive($"{LimitSettings.Section}:Window", settings.Window)
        .Require(settings.Create is not null && settings.UpdateConfig is not null && settings.Test is not null && settings.KeyPairs is not null,
            $"{LimitSettings.Section}: every operation's limit must have PerAccount and PerKey.")
        .Result;
}
