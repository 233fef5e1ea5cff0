using Microsoft.Extensions.Options;
using Sources.Silo.Hosting;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>What "Sources:Snowflake" must hold.</summary>
public sealed class SnowflakeSettingsRules : IValidateOptions<SnowflakeSettings>
{
    public const string Section = "Sources:Snowflake";

    /// <summary>
    /// What stands for "{account}" when the address's shape is checked: digits, because tests put
    /// "{account}" where the port goes (http://127.0.0.1:{account}), and a host label takes them too.
    /// </summary>
    private const string SomeAccount = "1";

    public ValidateOptionsResult Validate(string? name, SnowflakeSettings settings) => new SettingRules()
        .HttpAddress($"{Section}:BaseUrl", settings.BaseUrl?.Replace("{account}", SomeAccount, StringComparison.Ordinal))
        .Result;
}
