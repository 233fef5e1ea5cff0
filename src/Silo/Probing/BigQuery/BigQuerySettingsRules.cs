using Microsoft.Extensions.Options;
using Sources.Silo.Hosting;

namespace Sources.Silo.Probing.BigQuery;

/// <summary>What "Sources:BigQuery" must hold.</summary>
public sealed class BigQuerySettingsRules : IValidateOptions<BigQuerySettings>
{
    public const string Section = "Sources:BigQuery";

    public ValidateOptionsResult Validate(string? name, BigQuerySettings settings)
    {
        var rules = new SettingRules().HttpAddress($"{Section}:BaseUrl", settings.BaseUrl);
        for (var i = 0; i < settings.AllowedTokenUris.Count; i++)
            rules.HttpAddress($"{Section}:AllowedTokenUris:{i}", settings.AllowedTokenUris[i]);
        return rules.Result;
    }
}
