using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Sources.Load;

/// <summary>
/// The ceilings of the service's two requests on this machine, a minimal WebApplication on loopback:
/// its get route answers fixed JSON bytes, with no authentication, grain call or serializer; once
/// given a database, its create route stores each body as one single-row INSERT (the least any
/// HTTP service can do to store a create before answering it) and answers the new id.
/// </summary>
public sealed class KestrelBaseline : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelBaseline(WebApplication app) => _app = app;

    /// <summary>What the route answers: set it to the service's own get answer before measuring.</summary>
    public byte[] Body { get; set; } = "{}"u8.ToArray();

    /// <summary>Where the create route inserts: pgbench's table, so both do the same INSERT.</summary>
    private NpgsqlDataSource? _database;

    public void UseDatabase(string connectionString) => _database = NpgsqlDataSource.Create(connectionString);

    /// <summary>Where Kestrel bound the port it was given by the system.</summary>
    public Uri BaseAddress => new(_app.Urls.Single());

    public static async Task<KestrelBaseline> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var baseline = new KestrelBaseline(app);
        app.MapGet("/api/v1/sources/{id:long}/", (long id) => Results.Bytes(baseline.Body, "application/json"));
        app.MapPost("/api/v1/sources/", async (HttpRequest request) =>
        {
            using var body = new StreamReader(request.Body);
            await using var insert = baseline._database!.CreateCommand("INSERT INTO load_rows (account, payload) VALUES ('default', $1) RETURNING id");
            insert.Parameters.Add(new NpgsqlParameter { Value = await body.ReadToEndAsync() });
            var id = (long)(await insert.ExecuteScalarAsync())!;
            return Results.Json(new { id }, statusCode: StatusCodes.Status201Created);
        });
        await app.StartAsync();
        return baseline;
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null) await _database.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
