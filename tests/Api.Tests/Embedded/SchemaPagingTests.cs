using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Sources.Api.Tests.Infrastructure;
using Sources.Contracts;

namespace Sources.Api.Tests.Embedded;

/// <summary>
/// GET /api/v1/sources/{id}/schema/: a discovery past one page (here a FILE source whose SQLite
/// file holds 250 tables) is paged by cursor, each page as the spec says, from what its check kept.
/// </summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class SchemaPagingTests(InProcessService service)
{
    private const int TableCount = 250;
    private SourcesClient Api => service.Client;

    private static string Schema(long id, string? cursor = null) =>
        $"{SourcesClient.Root}{id}/schema/" + (cursor is null ? "" : "?cursor=" + Uri.EscapeDataString(cursor));

    private async Task<FilesDiscovery> Page(long id, string? cursor = null)
    {
        var page = (await Api.Send(HttpMethod.Get, Schema(id, cursor))).As(b => SchemaPage.Parse(b));
        return Assert.IsType<FilesDiscovery>(page.Discovery);
    }

    [Fact]
    public async Task A_large_discovery_is_paged_by_cursor_and_a_cursor_of_an_earlier_check_is_refused()
    {
        await using var host = await SqliteHost.StartAsync(TableCount);
        var id = await Api.CreateOk(new JsonObject
        {
            ["type"] = "FILE",
            ["file_urls"] = new JsonArray(new JsonObject { ["url"] = host.Url, ["filename"] = "catalog.sqlite" }),
        });
        var view = await Api.WhenChecked(id);
        Assert.Equal("ok", view.LastProbe!.Outcome);

        var first = await Page(id);
        Assert.Equal(first.NextCursor, Assert.IsType<FilesDiscovery>(view.LastProbe.Discovery).NextCursor);
        var pages = new List<FilesDiscovery> { first };
        while (pages[^1].NextCursor is { } next)
            pages.Add(await Page(id, next));

        Assert.Equal([100, 100, 50], pages.Select(p => p.Tables.Count));
        var names = pages.SelectMany(p => p.Tables).Select(t => t.Name).ToList();
        Assert.Equal(TableCount, names.Distinct().Count());
        Assert.All(pages.SelectMany(p => p.Tables), t => Assert.Equal(["id", "note"], t.Columns.Select(c => c.Name)));

        var wrong = (await Api.Send(HttpMethod.Get, Schema(id, "not-a-cursor"))).Problem(400);
        Assert.Equal("/cursor", Assert.Single(wrong.Errors!).Pointer);

        var stale = first.NextCursor!;
        Assert.Equal("ok", (await Api.Test(id)).As(b => ProbeResult.Parse(b)).Outcome);
        (await Api.Send(HttpMethod.Get, Schema(id, stale))).Problem(409);
        Assert.Equal(TableCount, (await Page(id)).Tables.Count + await Rest(id));
    }

    [Fact]
    public async Task A_source_that_does_not_exist_has_no_schema()
    {
        (await Api.Send(HttpMethod.Get, Schema(long.MaxValue - 7))).Problem(404);
    }

    private async Task<int> Rest(long id)
    {
        var count = 0;
        for (var cursor = (await Page(id)).NextCursor; cursor is not null;)
        {
            var page = await Page(id, cursor);
            count += page.Tables.Count;
            cursor = page.NextCursor;
        }
        return count;
    }

    /// <summary>Serves one SQLite file of <c>count</c> small tables, made by the test.</summary>
    private sealed class SqliteHost(WebApplication app, string path) : IAsyncDisposable
    {
        public string Url => app.Urls.First() + "/catalog.sqlite";

        public static async Task<SqliteHost> StartAsync(int count)
        {
            var path = Path.Combine(Path.GetTempPath(), $"sources-catalog-{Guid.NewGuid():N}.sqlite");
            await using (var connection = new SqliteConnection($"Data Source={path};Pooling=false"))
            {
                await connection.OpenAsync();
                await using var create = connection.CreateCommand();
                create.CommandText = string.Concat(Enumerable.Range(0, count).Select(i => $"CREATE TABLE t{i:D3} (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO t{i:D3} VALUES (1, 'x');"));
                await create.ExecuteNonQueryAsync();
            }
            var bytes = await File.ReadAllBytesAsync(path);
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/catalog.sqlite", () => Results.Bytes(bytes, "application/vnd.sqlite3"));
            await app.StartAsync();
            return new SqliteHost(app, path);
        }

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            File.Delete(path);
        }
    }
}
