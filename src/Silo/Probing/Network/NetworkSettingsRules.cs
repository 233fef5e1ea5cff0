using Microsoft.Extensions.Options;
using Sources.Silo.Hosting;

namespace Sources.Silo.Probing.Network;

/// <summary>What "Sources:Network" must hold: each Allow entry is "loopback", "private" or a CIDR range.</summary>
public sealed class NetworkSettingsRules : IValidateOptions<NetworkSettings>
{
    public const string Section = "Sources:Network";

    public ValidateOptionsResult Validate(string? name, NetworkSettings settings)
    {
        var rules = new SettingRules();
        for (var i = 0; i < settings.Allow.Count; i++)
            rules.Require(Valid(settings.Allow[i]), $"{Section}:Allow:{i}", settings.Allow[i], "use 'loopback', 'private' or a CIDR range such as 10.0.0.0/8");
        return rules.Result;
    }

    private static bool Valid(string? entry)
    {
        if (entry is null) return false;
        if (entry.Trim().ToLowerInvariant() is "loopback" or "private") return true;
        try
        {
            IpRange.Parse(entry.Trim());
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return false;
        }
    }
}
