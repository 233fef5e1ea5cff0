using Microsoft.Extensions.Options;
using Sources.Silo.Hosting;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>What "Sources:Snowflake" must hold.</summary>
public sealed class SnowflakeSettingsRules : IValidateOptions<SnowflakeSettings>
{
    public const string Section = "Sources:Snowflake";

    public ValidateOptionsResult Validate(string? name, SnowflakeSettings settings) => new SettingRules()
        .HttpAddress($"{Section}:BaseUrl", settings.BaseUrl?.Replace("{account}", "account", StringComparison.Ordinal))
        .Result;
}
