using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sources.Probing.Tests.Support;

namespace Sources.Probing.Tests.Files;

/// <summary>
/// A loopback file host: /files/{name} serves what the test put there, /redirect/{name} sends
/// a 302 to a file here, /metadata-redirect sends one to the cloud metadata address, /chunked
/// streams without a length, /slow announces a length, sends a little and then stalls,
/// /headers-only sends its headers and then nothing, /trickle sends a byte every 50 ms, and
/// /generated/{megabytes} streams a large CSV made on the fly.
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
            app.MapGet("/headers-only", async (HttpContext context) =>
            {
                context.Response.ContentLength = 1000;
                await context.Response.StartAsync();
                await context.Response.Body.FlushAsync();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            });
            app.MapGet("/trickle", async (HttpContext context) =>
            {
                context.Response.ContentLength = 1_000_000;
                await context.Response.StartAsync();
                // 20 bytes a second: never idle for long, far below any sane minimum rate.
                using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
                while (await tick.WaitForNextTickAsync(context.RequestAborted))
                {
                    await context.Response.Body.WriteAsync("1"u8.ToArray(), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                }
            });
            app.MapGet("/generated/{megabytes:int}", async (HttpContext context, int megabytes) =>
            {
                var line = "1234567,7654321,2345678,8765432,3456789,9876543,4567890,0987654\n"u8.ToArray();
                var chunk = new byte[line.Length * 16384];
                for (var i = 0; i < 16384; i++) line.CopyTo(chunk, i * line.Length);
                await context.Response.Body.WriteAsync("a,b,c,d,e,f,g,h\n"u8.ToArray());
                for (long sent = 0; sent < (long)megabytes << 20; sent += chunk.Length)
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
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
