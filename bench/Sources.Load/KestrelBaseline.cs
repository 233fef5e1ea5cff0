using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Sources.Load;

/// <summary>
/// The ceiling for a get on this machine: a minimal WebApplication on loopback whose one route (the
/// service's get route) answers fixed JSON bytes, with no authentication, grain call or serializer.
/// </summary>
public sealed class KestrelBaseline : IAsyncDisposable
{
    private readonly WebApplication app;

    private KestrelBaseline(WebApplication app) => this.app = app;

    /// <summary>What the route answers: set it to the service's own get answer before measuring.</summary>
    public byte[] Body { get; set; } = "{}"u8.ToArray();

    /// <summary>Where Kestrel bound the port it was given by the system.</summary>
    public Uri BaseAddress => new(app.Urls.Single());

    public static async Task<KestrelBaseline> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var baseline = new KestrelBaseline(app);
        app.MapGet("/api/v1/sources/{id:long}/", (long id) => Results.Bytes(baseline.Body, "application/json"));
        await app.StartAsync();
        return baseline;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
