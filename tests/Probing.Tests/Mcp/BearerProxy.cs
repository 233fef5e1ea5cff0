using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sources.Probing.Tests.Support;

namespace Sources.Probing.Tests.Mcp;

/// <summary>
/// A loopback front for an MCP server that demands one bearer token: 401 without it, the
/// upstream's answer (streamed, so SSE bodies pass) with it. Records what each request carried.
/// </summary>
public static class BearerProxy
{
    private static readonly string[] ForwardedRequestHeaders = ["Accept", "Mcp-Session-Id", "Mcp-Protocol-Version", "Last-Event-ID"];
    private static readonly string[] ForwardedResponseHeaders = ["Mcp-Session-Id"];

    public static Task<LoopbackWeb> Start(string upstream, string token, List<string> seenAuthorization) =>
        LoopbackWeb.Start(app => app.Map("/{**rest}", async (HttpContext context) =>
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            lock (seenAuthorization) seenAuthorization.Add(authorization);
            if (authorization != "Bearer " + token)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            await Forward(context, new Uri(new Uri(upstream), context.Request.Path + context.Request.QueryString));
        }));

    private static async Task Forward(HttpContext context, Uri target)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (HttpMethods.IsPost(context.Request.Method))
        {
            request.Content = new StreamContent(context.Request.Body);
            if (context.Request.ContentType is { } type)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        foreach (var name in ForwardedRequestHeaders)
            if (context.Request.Headers.TryGetValue(name, out var value))
                request.Headers.TryAddWithoutValidation(name, value.ToArray());
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType)
            context.Response.ContentType = contentType.ToString();
        foreach (var name in ForwardedResponseHeaders)
            if (response.Headers.TryGetValues(name, out var values))
                context.Response.Headers[name] = values.ToArray();
        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
