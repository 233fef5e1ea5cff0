using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sources.Contracts;

namespace Sources.Client;

/// <summary>
/// One request as the generated client builds it: the path template with its parameters filled
/// in, the query parameters that were given, headers, and a JSON body written by the contract's
/// writer with its secrets (a client sends them; only the service keeps them back).
/// </summary>
public sealed class ApiRequest(HttpMethod method, string template)
{
    private string _path = template;
    private readonly List<string> _query = [];
    private readonly List<(string Name, string Value)> _headers = [];
    private HttpContent? _content;

    public void Path(string name, long value) => _path = _path.Replace("{" + name + "}", value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public void Path(string name, string value) => _path = _path.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);

    public void Query(string name, string? value)
    {
        if (value is not null) _query.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}");
    }

    public void Query(string name, long? value) => Query(name, value?.ToString(CultureInfo.InvariantCulture));

    public void Header(string name, string? value)
    {
        if (value is not null) _headers.Add((name, value));
    }

    public void Json(IJsonWritable body) => _content = Content(JsonOutput.ToUtf8(body, includeWriteOnly: true));

    public void Json(JsonNode body) => _content = Content(Encoding.UTF8.GetBytes(body.ToJsonString()));

    /// <summary>The path and query, relative to the HttpClient's BaseAddress.</summary>
    public string Target => _query.Count == 0 ? _path.TrimStart('/') : _path.TrimStart('/') + "?" + string.Join("&", _query);

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(method, new Uri(Target, UriKind.Relative)) { Content = _content };
        foreach (var (name, value) in _headers) message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    private static ByteArrayContent Content(byte[] utf8)
    {
        var content = new ByteArrayContent(utf8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }
}
