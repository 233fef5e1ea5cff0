using System.Text.RegularExpressions;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>
/// A Snowflake account identifier: <c>orgname-accountname</c>, or an account locator with an
/// optional region and cloud (<c>xy12345.us-east-1.aws</c>). The same pattern as the spec's, so
/// nothing but letters, digits, '-', '_' and '.' ever reaches a host name.
/// </summary>
public static partial class SnowflakeAccount
{
    [GeneratedRegex(@"^([A-Za-z0-9]+-[A-Za-z0-9_]+|[A-Za-z0-9]+(\.[A-Za-z0-9-]+){0,2})$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? account) => account is not null && account.Length <= 255 && Pattern().IsMatch(account);

    /// <summary>
    /// The account as a key-pair JWT names it, per Snowflake's rule: upper case, and for a
    /// locator only the part before the first '.', since region and cloud are not part of the
    /// name (for a '.global' identifier, the part before the first '-').
    /// </summary>
    public static string ForJwt(string account)
    {
        var name = account;
        if (name.Contains(".global", StringComparison.OrdinalIgnoreCase))
        {
            var dash = name.IndexOf('-');
            if (dash > 0) name = name[..dash];
        }
        else
        {
            var dot = name.IndexOf('.');
            if (dot > 0) name = name[..dot];
        }
        return name.ToUpperInvariant();
    }

    /// <summary>
    /// The account's base URL from the configured template (its "{account}" replaced). Host names
    /// take no '_', so an account name's underscores become hyphens there, as Snowflake's URLs have them.
    /// </summary>
    public static Uri BaseUrl(string account, SnowflakeSettings settings) =>
        new(settings.BaseUrl.Replace("{account}", account.ToLowerInvariant().Replace('_', '-'), StringComparison.Ordinal).TrimEnd('/') + "/");
}
