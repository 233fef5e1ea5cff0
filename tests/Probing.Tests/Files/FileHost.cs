using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sources.Probing.Tests.Support;

namespace Sources.Probing.Tests.Files;

/// <summary>
/// A loopback file host: /files/{name} serves what the test put there, /redirect/{name} sends
/// a 302 to a file here, /metadata-redirect sends one to the cloud metadata address, /chunked
/// streams without a length, and /slow announces a length, sends a little and then stalls.
/// </summary>
public sealed class FileHost : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private LoopbackWeb _web = null!;

    public string BaseUrl => _web.BaseUrl;

    public static async Task<FileHost> Start()
    {
        var host = new FileHost();
        host._web = await LoopbackWeb.Start(app =>
        {
            app.MapGet("/files/{name}", (string name) =>
                host._files.TryGetValue(name, out var bytes) ? Results.Bytes(bytes, "application/octet-stream") : Results.NotFound());
            app.MapGet("/redirect/{name}", (string name) => Results.Redirect($"{host.BaseUrl}/files/{name}"));
            app.MapGet("/metadata-redirect", () => Results.Redirect("http://169.254.169.254/latest/meta-data/"));
            app.MapGet("/chunked/{size:int}", async (HttpContext context, int size) =>
            {
                var chunk = new byte[1024];
                for (var sent = 0; sent < size; sent += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, size - sent)));
                    await context.Response.Body.FlushAsync();
                }
            });
            app.MapGet("/slow", async (HttpContext context) =>
            {
                context.Response.ContentLength = 1000;
                await context.Response.Body.WriteAsync("id,name\n"u8.ToArray());
                await context.Response.Body.FlushAsync();
                // Stalls until the client gives up and the request is aborted.
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            });
        });
        return host;
    }

    public string Put(string name, byte[] bytes)
    {
        _files[name] = bytes;
        return $"{BaseUrl}/files/{name}";
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();
}
