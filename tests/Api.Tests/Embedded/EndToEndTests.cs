using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;
using Sources.Client;
using Sources.Contracts;

namespace Sources.Api.Tests.Embedded;

/// <summary>
/// The whole life of sources over HTTP against the real service in embedded mode; most requests go
/// through the client generated from the spec (src/Client), with the contract's typed requests.
/// </summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class EndToEndTests(InProcessService service)
{
    private SourcesClient Api => service.Client;
    private SourcesApiClient Typed => service.Typed;

    [Fact]
    public async Task Every_type_is_created_and_read_back_without_its_secrets() =>
        await SourceAssertions.CreateEveryType(Api, Api);

    [Fact]
    public async Task The_type_is_accepted_in_any_letter_case_and_stored_upper_case()
    {
        var body = SourceBodies.Valid("MONGODB");
        body["type"] = "mongodb";
        var id = await Api.CreateOk(body);

        Assert.Equal("MONGODB", (await Api.Get(id)).View().Type);
    }

    [Fact]
    public async Task A_page_chain_of_two_covers_every_source_once_newest_first()
    {
        var created = new List<long>();
        ICreateSourceRequest[] bodies =
        [
            new PostgresConnectionRequest { Hostname = "pg.example.com", Username = "analyst", Password = "s3cret", DatabaseName = "analytics" },
            new MySQLConnectionRequest { Hostname = "mysql.example.com", Username = "app", Password = "s3cret", DatabaseName = "shop" },
            new MCPConnectionRequest { BaseUrl = "https://mcp.example.com/mcp" },
            new FileUploadConnectionRequest { FileUrls = [new FileUrl { Url = "https://files.example.com/orders.csv", Filename = "orders.csv" }] },
            new ClickHouseConnectionRequest { Host = "ch.example.com", Username = "default", Password = "" },
            new MSSQLConnectionRequest { ConnectionString = "Driver={ODBC Driver 18 for SQL Server};Server=sql.example.com,1433;Database=master;Uid=sa;Pwd=s3cret;Encrypt=yes" },
        ];
        foreach (var body in bodies)
            created.Add((await Typed.SourcesCreateAsync(body)).Ok().Id);

        var pages = await TypedPages(limit: 2);
        var chained = pages.SelectMany(p => p.Items).Select(v => v.Id).ToList();
        var whole = (await TypedPages(limit: 100)).SelectMany(p => p.Items).Select(v => v.Id).ToList();

        Assert.All(pages.SkipLast(1), page => Assert.Equal(2, page.Items.Count));
        Assert.InRange(pages[^1].Items.Count, 1, 2);
        Assert.Equal(whole, chained);
        Assert.Equal(chained.Count, chained.Distinct().Count());
        var mine = chained.Where(created.Contains).ToList();
        Assert.Equal(Enumerable.Reverse(created), mine);
        var times = pages.SelectMany(p => p.Items).Select(v => v.CreatedAt).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
    }

    /// <summary>Every page through the generated client, following next_cursor to the last.</summary>
    private async Task<List<SourcePage>> TypedPages(int limit)
    {
        var pages = new List<SourcePage>();
        string? cursor = null;
        do
        {
            var page = (await Typed.SourcesListAsync(limit: limit, cursor: cursor)).Ok();
            Assert.True(page.Items.Count <= limit, $"a page of {page.Items.Count} items for limit {limit}");
            pages.Add(page);
            cursor = page.NextCursor;
            Assert.True(pages.Count <= 10_000, "the cursor chain does not end");
        }
        while (cursor is not null);
        return pages;
    }

    [Fact]
    public async Task Filters_select_by_type_in_any_case_and_by_status()
    {
        using var silent = new SilentServer();
        var unanswered = await Api.CreateOk(silent.PostgresBody());
        var mysql = await Api.CreateOk(SourceBodies.Valid("MYSQL"));
        var mcp = await Api.CreateOk(SourceBodies.Valid("MCP"));

        var onlyMysql = await Api.ListAll("&type=mysql", limit: 2);
        Assert.Contains(mysql, onlyMysql.Select(v => v.Id));
        Assert.DoesNotContain(mcp, onlyMysql.Select(v => v.Id));
        Assert.All(onlyMysql, v => Assert.Equal("MYSQL", v.Type));

        // A source is pending until its first check ends; the unanswered one's never does. The
        // others settle at once (their hosts do not resolve here): filter on where they settled.
        var settled = new Dictionary<long, string>
        {
            [mysql] = (await Api.WhenChecked(mysql)).Status,
            [mcp] = (await Api.WhenChecked(mcp)).Status,
            [unanswered] = "pending",
        };
        Assert.Equal("pending", (await Api.Get(unanswered)).View().Status);
        Assert.NotEqual("pending", settled[mysql]);
        foreach (var status in new[] { "pending", "healthy", "degraded", "failing", "awaiting_key_registration" })
        {
            var matching = await Api.ListAll($"&status={status}", limit: 2);
            Assert.All(matching, v => Assert.Equal(status, v.Status));
            foreach (var (id, at) in settled)
                Assert.Equal(at == status, matching.Any(v => v.Id == id));
        }

        var badFilter = (await Api.List("?type=ORACLE&status=sleeping&limit=0")).Problem(400);
        Assert.Equal(["/limit", "/status", "/type"], badFilter.Errors!.Select(e => e.Pointer).Order());
    }

    [Fact]
    public async Task The_name_search_finds_a_substring_in_any_letter_case_and_follows_a_rename()
    {
        var marker = $"Wh{Guid.NewGuid():N}";
        var warehouse = await Api.CreateOk(Named("POSTGRES", $"Billing {marker} EU"));
        var shop = await Api.CreateOk(Named("MYSQL", $"Shop {marker}"));
        await Api.CreateOk(Named("MYSQL", "Elsewhere"));

        var found = await Api.ListAll($"&q={Uri.EscapeDataString(marker.ToUpperInvariant())}", limit: 1);
        Assert.Equal([shop, warehouse], found.Select(v => v.Id));
        Assert.Equal([shop], (await Api.ListAll($"&q={marker}&type=mysql")).Select(v => v.Id));
        // The item a search shows is the source as a get shows it (once checked, it stays as it is).
        await Api.WhenChecked(warehouse);
        var listed = (await Api.List($"?q={marker}%20eu")).Text;
        Assert.Contains((await Api.Get(warehouse)).Text, listed);

        (await Api.Patch(warehouse, new JsonObject { ["account_name"] = "Renamed warehouse" })).Expect(200);
        Assert.Equal([shop], (await Api.ListAll($"&q={marker}")).Select(v => v.Id));
        Assert.Contains(warehouse, (await Api.ListAll("&q=renamed%20WAREHOUSE")).Select(v => v.Id));

        foreach (var bad in new[] { "", new string('a', 256), "a%00b", "tab%09" })
        {
            var problem = (await Api.List($"?q={bad}")).Problem(400);
            Assert.Equal(["/q"], problem.Errors!.Select(e => e.Pointer));
        }
        Assert.Empty(await Api.ListAll($"&q={new string('a', 255)}"));
    }

    private static JsonObject Named(string type, string name)
    {
        var body = SourceBodies.Valid(type);
        body["account_name"] = name;
        return body;
    }

    [Fact]
    public async Task Patch_changes_the_name_and_settings_but_never_a_credential()
    {
        var body = new PostgresConnectionRequest
        {
            Hostname = "pg.example.com", Username = "analyst", DatabaseName = "analytics", SelectedSchemas = ["public", "sales"],
            Password = "s3cret", ConnectionString = "postgresql://analyst:s3cret@pg.example.com:5432/analytics",
        };
        var id = (await Typed.SourcesCreateAsync(body)).Ok().Id;

        var patched = (await Typed.SourcesPartialUpdateAsync(id, new JsonObject { ["account_name"] = "Renamed", ["selected_schemas"] = new JsonArray("sales") })).Ok();
        var read = (await Typed.SourcesRetrieveAsync(id)).Ok();
        foreach (var view in new[] { patched, read })
        {
            Assert.Equal("Renamed", view.AccountName);
            Assert.Equal("""["sales"]""", view.Settings.GetProperty("selected_schemas").GetRawText());
            Assert.Equal("pg.example.com", view.Settings.GetProperty("hostname").GetString());
            Assert.Equal(["connection_string", "password"], view.SecretsSet.Order());
        }

        // A merge patch's null removes the setting.
        var cleared = (await Typed.SourcesPartialUpdateAsync(id, new JsonObject { ["selected_schemas"] = null })).Ok();
        Assert.False(cleared.Settings.TryGetProperty("selected_schemas", out _));

        var credential = Refused(await Typed.SourcesPartialUpdateAsync(id, new JsonObject { ["password"] = "new-password" }), 400);
        Assert.Equal("/password", Assert.Single(credential.Errors!).Pointer);
        var invalid = Refused(await Typed.SourcesPartialUpdateAsync(id, new JsonObject { ["port"] = 0 }), 400);
        Assert.Equal("/port", Assert.Single(invalid.Errors!).Pointer);
        Assert.Equal("Renamed", (await Typed.SourcesRetrieveAsync(id)).Ok().AccountName);
    }

    [Fact]
    public async Task Update_config_replaces_the_whole_shape_and_rotates_credentials_but_never_the_type()
    {
        var first = new PostgresConnectionRequest { Hostname = "pg.example.com", Username = "analyst", DatabaseName = "analytics", Password = "first-password" };
        var id = (await Typed.SourcesCreateAsync(first)).Ok().Id;
        var before = (await Typed.SourcesRetrieveAsync(id)).Ok();

        var rotated = new PostgresConnectionRequest { Hostname = "pg2.example.com", Username = "analyst", DatabaseName = "analytics", Password = "second-password" };
        var answer = await Typed.SourcesUpdateConfigAsync(id, rotated);
        var view = answer.Ok();

        SourceAssertions.ShowsBody(view, Sent(rotated), id);
        Assert.Equal(["password"], view.SecretsSet);
        Assert.True(string.CompareOrdinal(view.UpdatedAt, before.UpdatedAt) >= 0);
        Assert.Equal(before.CreatedAt, view.CreatedAt);
        Assert.DoesNotContain("second-password", answer.Text, StringComparison.Ordinal);
        SourceAssertions.ShowsBody((await Typed.SourcesRetrieveAsync(id)).Ok(), Sent(rotated), id);

        var otherType = Refused(await Typed.SourcesUpdateConfigAsync(id, new MySQLConnectionRequest { Hostname = "mysql.example.com", Username = "app", Password = "s3cret", DatabaseName = "shop" }), 400);
        Assert.Equal("/type", Assert.Single(otherType.Errors!).Pointer);
        var incomplete = Refused(await Typed.SourcesUpdateConfigAsync(id, new PostgresConnectionRequest { Port = 5432 }), 400);
        Assert.Contains(incomplete.Errors!, e => e.Code == "any_of");
        Assert.Equal("pg2.example.com", (await Typed.SourcesRetrieveAsync(id)).Ok().Settings.GetProperty("hostname").GetString());
    }

    [Fact]
    public async Task Delete_answers_204_once_and_the_source_is_gone_everywhere()
    {
        var body = new SingleStoreConnectionRequest { Hostname = "s2.example.com", Username = "admin", Password = "s3cret", DatabaseName = "metrics" };
        var id = (await Typed.SourcesCreateAsync(body)).Ok().Id;

        (await Typed.SourcesDestroyAsync(id)).EnsureStatus(204);

        Refused(await Typed.SourcesDestroyAsync(id), 404);
        Refused(await Typed.SourcesRetrieveAsync(id), 404);
        Refused(await Typed.SourcesPartialUpdateAsync(id, new JsonObject { ["account_name"] = "x" }), 404);
        Refused(await Typed.SourcesUpdateConfigAsync(id, body), 404);
        Assert.DoesNotContain(id, (await TypedPages(limit: 100)).SelectMany(p => p.Items).Select(v => v.Id));
    }

    /// <summary>The answer's problem, asserted to be of <paramref name="status"/> and in the contract's shape.</summary>
    private static Problem Refused(Sources.Client.ApiAnswer answer, int status)
    {
        answer.EnsureStatus(status);
        Assert.Equal("application/problem+json", answer.ContentType);
        var problem = answer.Problem;
        Assert.True(problem is not null, $"not a problem: {answer}");
        Assert.Equal(status, problem.Status);
        return problem;
    }

    /// <summary>The JSON the client sent for <paramref name="body"/>, secrets included.</summary>
    private static JsonObject Sent(ICreateSourceRequest body) => JsonNode.Parse(JsonOutput.ToUtf8(body, includeWriteOnly: true))!.AsObject();
}
