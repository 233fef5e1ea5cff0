namespace Sources.Silo.Probing.Http;

/// <summary>What Sources accepts as a user-given URL to fetch from: absolute http(s) with a host.</summary>
public static class HttpUrls
{
    /// <summary>The URL, or the problem with it at <paramref name="pointer"/>.</summary>
    public static (Uri? Url, SettingsProblem? Problem) Parse(string? text, string pointer)
    {
        if (string.IsNullOrWhiteSpace(text))
            return (null, new SettingsProblem(pointer, "A URL is required."));
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Host.Length == 0)
            return (null, new SettingsProblem(pointer, "The URL must be an absolute http:// or https:// address with a host."));
        // Credentials in a URL would be stored unsealed with the settings and shown back by GET.
        if (url.UserInfo.Length > 0)
            return (null, new SettingsProblem(pointer, "The URL must not carry a user name or password."));
        return (url, null);
    }
}
