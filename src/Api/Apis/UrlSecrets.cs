using System.Text.Json.Nodes;

namespace Sources.Api.Apis;

/// <summary>
/// A URL's query string is where presigned URLs keep their signatures (X-Amz-Signature, sig=) and
/// APIs their keys (?api_key=, ?token=), so for the URLs a probe fetches (MCP <c>base_url</c>, FILE
/// <c>file_urls[].url</c>) it is a secret: the whole URL is sealed with the other secrets, and the
/// settings keep it with each query value replaced by <see cref="Marker"/> (and any fragment
/// dropped to the marker), so an answer still shows which host, path and parameters it names.
/// </summary>
internal static class UrlSecrets
{
    public const string Marker = "REDACTED";

    /// <summary>The suffix that names, in <c>secrets_set</c>, a URL whose query string is sealed.</summary>
    public const string QuerySuffix = "?query";

    /// <summary>
    /// Moves the URLs that carry a query string from <paramref name="settings"/> into
    /// <paramref name="secrets"/> (the probe's whole request is the settings with the secrets put
    /// back over them, so it gets each whole URL) and answers their names for <c>secrets_set</c>.
    /// </summary>
    public static List<string> Seal(string type, JsonObject settings, JsonObject secrets)
    {
        var names = new List<string>();
        switch (type)
        {
            case "MCP" when Text(settings["base_url"]) is { } url && Redact(url) is { } shown:
                secrets["base_url"] = url;
                settings["base_url"] = shown;
                names.Add("base_url" + QuerySuffix);
                break;
            case "FILE" when settings["file_urls"] is JsonArray files:
                var whole = files.DeepClone();
                for (var i = 0; i < files.Count; i++)
                {
                    if (files[i] is JsonObject file && Text(file["url"]) is { } fileUrl && Redact(fileUrl) is { } redacted)
                    {
                        file["url"] = redacted;
                        names.Add($"file_urls/{i}/url{QuerySuffix}");
                    }
                }
                if (names.Count > 0) secrets["file_urls"] = whole;
                break;
        }
        return names;
    }

    /// <summary>The URL as an answer shows it; null when it has no query string or fragment to hide.</summary>
    public static string? Redact(string url)
    {
        var hash = url.IndexOf('#');
        var withoutFragment = hash < 0 ? url : url[..hash];
        var question = withoutFragment.IndexOf('?');
        if (question < 0 && hash < 0) return null;
        var shown = question < 0 ? withoutFragment : withoutFragment[..(question + 1)] + string.Join('&',
            withoutFragment[(question + 1)..].Split('&').Select(pair => pair.IndexOf('=') is var equals and >= 0
                ? pair[..(equals + 1)] + Marker
                : pair.Length == 0 ? pair : Marker));
        return hash < 0 ? shown : shown + "#" + Marker;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
