using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Sources.Api.Tests.Infrastructure;
using Sources.Contracts;
using Sources.TestServers;

namespace Sources.Api.Tests.Embedded;

/// <summary>POST /api/v1/sources/test/: a create's body, checked as a create checks it, probed, and nothing kept.</summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class TestSettingsTests(InProcessService service)
{
    private const string Path = SourcesClient.Root + "test/";
    private SourcesClient Api => service.Client;

    private async Task<ApiResponse> Trial(JsonNode body) => await Api.Send(HttpMethod.Post, Path, SourcesClient.Json(body));

    [Fact]
    public async Task Settings_that_cannot_connect_answer_their_result_and_leave_no_source()
    {
        var before = (await Api.ListAll()).Count;
        var body = new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = FreePort.Next(),
            ["username"] = "u", ["password"] = "trial-canary-Zq81", ["database_name"] = "d",
        };

        var answer = await Trial(body);

        var result = answer.As(b => ProbeResult.Parse(b));
        Assert.Equal("unreachable", result.Outcome);
        Assert.DoesNotContain("trial-canary-Zq81", System.Text.Encoding.UTF8.GetString(answer.Body));
        Assert.Equal(before, (await Api.ListAll()).Count);
    }

    [Fact]
    public async Task A_body_a_create_refuses_is_refused_with_the_same_errors()
    {
        var body = new JsonObject { ["type"] = "POSTGRES", ["hostnme"] = "db.example.com", ["port"] = "5432" };

        var trial = (await Trial(body)).Problem(400);
        var create = (await Api.Create(body)).Problem(400);

        Assert.Equal(create.Errors!.Select(e => (e.Pointer, e.Code)), trial.Errors!.Select(e => (e.Pointer, e.Code)));
    }

    [Fact]
    public async Task A_file_is_downloaded_and_discovered_and_nothing_of_it_stays_on_disk()
    {
        await using var files = await CsvServer.StartAsync("id,name\n1,ada\n2,grace\n");
        var body = new JsonObject
        {
            ["type"] = "FILE",
            ["file_urls"] = new JsonArray(new JsonObject { ["url"] = files.Url, ["filename"] = "people.csv" }),
        };

        var result = (await Trial(body)).As(b => ProbeResult.Parse(b));

        Assert.Equal("ok", result.Outcome);
        var table = Assert.Single(Assert.IsType<FilesDiscovery>(result.Discovery).Tables);
        Assert.Equal("people", table.Name);
        Assert.Equal(["id", "name"], table.Columns.Select(c => c.Name));
        var folder = System.IO.Path.Combine(service.Node.Config.DataDirectory, "files");
        Assert.False(Directory.Exists(folder) && Directory.EnumerateDirectories(folder, "-*").Any(), "a trial's folder was left behind");
    }

    [Fact]
    public async Task A_snowflake_body_without_credentials_says_a_key_pair_comes_with_the_create_and_makes_none()
    {
        var body = new JsonObject { ["type"] = "SNOWFLAKE", ["account"] = "xy12345.us-east-1", ["user"] = "LOADER" };

        var result = (await Trial(body)).As(b => ProbeResult.Parse(b));

        Assert.Equal("awaiting_key_registration", result.Outcome);
    }

    /// <summary>One CSV over plain HTTP on a loopback port of its own.</summary>
    private sealed class CsvServer(WebApplication app) : IAsyncDisposable
    {
        public string Url => app.Urls.First() + "/people.csv";

        public static async Task<CsvServer> StartAsync(string csv)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/people.csv", () => Results.Text(csv, "text/csv"));
            await app.StartAsync();
            return new CsvServer(app);
        }

        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }
}
