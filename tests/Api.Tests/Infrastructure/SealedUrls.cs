using System.Text.Json.Nodes;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// What the contract says of a URL whose query string is a secret (MCP base_url, FILE
/// file_urls[].url): it is shown with each query value (and any fragment) replaced by REDACTED,
/// and named in secrets_set by its path with "?query".
/// </summary>
public static class SealedUrls
{
    public const string Marker = "REDACTED";

    public static JsonNode? AsShown(string type, string field, JsonNode? value) => (type, field, value) switch
    {
        ("MCP", "base_url", JsonValue url) => Redacted(url.GetValue<string>()),
        ("FILE", "file_urls", JsonArray files) => new JsonArray(files.Select(f =>
        {
            var file = f!.DeepClone().AsObject();
            file["url"] = Redacted(file["url"]!.GetValue<string>());
            return (JsonNode)file;
        }).ToArray()),
        _ => value?.DeepClone(),
    };

    public static IEnumerable<string> Names(string type, JsonObject body) => type switch
    {
        "MCP" when HasQuery(body["base_url"]?.GetValue<string>()) => ["base_url?query"],
        "FILE" when body["file_urls"] is JsonArray files => files
            .Select((f, i) => (Url: f!["url"]!.GetValue<string>(), i))
            .Where(f => HasQuery(f.Url))
            .Select(f => $"file_urls/{f.i}/url?query"),
        _ => [],
    };

    private static bool HasQuery(string? url) => url is not null && (url.Contains('?') || url.Contains('#'));

    private static string Redacted(string url)
    {
        var uri = new Uri(url);
        var shown = uri.GetLeftPart(UriPartial.Path);
        if (uri.Query.Length > 0)
            shown += "?" + string.Join('&', uri.Query[1..].Split('&').Select(p => p.Contains('=') ? p[..(p.IndexOf('=') + 1)] + Marker : Marker));
        return uri.Fragment.Length > 0 ? shown + "#" + Marker : shown;
    }
}
