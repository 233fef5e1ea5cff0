using System.Net.Http.Headers;
using System.Text.Json;
using Sources.TestServers;

namespace Sources.Load;

/// <summary>The two requests under load: a valid POSTGRES create and a get of a source created before.</summary>
public sealed class Workload(string apiKey)
{
    /// <summary>
    /// Loopback, on a port nobody listens on: the probe each create starts ends at once (refused in
    /// embedded mode, denied by the network policy in postgres mode) instead of lingering.
    /// </summary>
    private static readonly byte[] CreateBody = JsonSerializer.SerializeToUtf8Bytes(new
    {
        type = "POSTGRES",
        hostname = "127.0.0.1",
        port = FreePort.Next(),
        username = "bench",
        password = "bench-secret",
        database_name = "bench",
        selected_schemas = new[] { "public" },
    });

    public HttpRequestMessage Create()
    {
        var content = new ByteArrayContent(CreateBody);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Authorized(new HttpRequestMessage(HttpMethod.Post, "/api/v1/sources/") { Content = content });
    }

    public HttpRequestMessage Get(long id) => Authorized(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/sources/{id}/"));

    /// <summary>The id in a create's answer, <c>{"id": N, ...}</c>.</summary>
    public static long IdOf(byte[] created)
    {
        using var json = JsonDocument.Parse(created);
        return json.RootElement.GetProperty("id").GetInt64();
    }

    public HttpRequestMessage Authorized(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return request;
    }
}
