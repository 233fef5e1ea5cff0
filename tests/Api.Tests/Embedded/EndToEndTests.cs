using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Embedded;

/// <summary>The whole life of sources over HTTP against the real service in embedded mode.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class EndToEndTests(EmbeddedService service)
{
    private SourcesClient Api => service.Client;

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
        foreach (var type in new[] { "POSTGRES", "MYSQL", "MCP", "FILE", "CLICKHOUSE", "MSSQL" })
            created.Add(await Api.CreateOk(SourceBodies.Valid(type)));

        var pages = await Api.ListPages(limit: 2);
        var chained = pages.SelectMany(p => p.Items).Select(v => v.Id).ToList();
        var whole = (await Api.ListAll(limit: 100)).Select(v => v.Id).ToList();

        Assert.All(pages.SkipLast(1), page => Assert.Equal(2, page.Items.Count));
        Assert.InRange(pages[^1].Items.Count, 1, 2);
        Assert.Equal(whole, chained);
        Assert.Equal(chained.Count, chained.Distinct().Count());
        var mine = chained.Where(created.Contains).ToList();
        Assert.Equal(Enumerable.Reverse(created), mine);
        var times = pages.SelectMany(p => p.Items).Select(v => v.CreatedAt).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
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
        var body = SourceBodies.Valid("POSTGRES");
        var id = await Api.CreateOk(body);

        var patched = (await Api.Patch(id, new JsonObject { ["account_name"] = "Renamed", ["selected_schemas"] = new JsonArray("sales") })).View();
        var read = (await Api.Get(id)).View();
        foreach (var view in new[] { patched, read })
        {
            Assert.Equal("Renamed", view.AccountName);
            Assert.Equal("""["sales"]""", view.Settings.GetProperty("selected_schemas").GetRawText());
            Assert.Equal("pg.example.com", view.Settings.GetProperty("hostname").GetString());
            Assert.Equal(["connection_string", "password"], view.SecretsSet.Order());
        }

        // A merge patch's null removes the setting.
        var cleared = (await Api.Patch(id, new JsonObject { ["selected_schemas"] = null })).View();
        Assert.False(cleared.Settings.TryGetProperty("selected_schemas", out _));

        var credential = (await Api.Patch(id, new JsonObject { ["password"] = "new-password" })).Problem(400);
        Assert.Equal("/password", Assert.Single(credential.Errors!).Pointer);
        var invalid = (await Api.Patch(id, new JsonObject { ["port"] = 0 })).Problem(400);
        Assert.Equal("/port", Assert.Single(invalid.Errors!).Pointer);
        Assert.Equal("Renamed", (await Api.Get(id)).View().AccountName);
    }

    [Fact]
    public async Task Update_config_replaces_the_whole_shape_and_rotates_credentials_but_never_the_type()
    {
        var id = await Api.CreateOk(SourceBodies.Valid("POSTGRES", "first-password"));
        var before = (await Api.Get(id)).View();

        var rotated = SourceBodies.SettingsOf("POSTGRES");
        rotated["hostname"] = "pg2.example.com";
        rotated["password"] = "second-password";
        var response = await Api.UpdateConfig(id, rotated);
        var view = response.View();

        SourceAssertions.ShowsBody(view, rotated, id);
        Assert.Equal(["password"], view.SecretsSet);
        Assert.True(string.CompareOrdinal(view.UpdatedAt, before.UpdatedAt) >= 0);
        Assert.Equal(before.CreatedAt, view.CreatedAt);
        Assert.DoesNotContain("second-password", response.Text, StringComparison.Ordinal);
        SourceAssertions.ShowsBody((await Api.Get(id)).View(), rotated, id);

        var otherType = (await Api.UpdateConfig(id, SourceBodies.Valid("MYSQL"))).Problem(400);
        Assert.Equal("/type", Assert.Single(otherType.Errors!).Pointer);
        var incomplete = (await Api.UpdateConfig(id, new JsonObject { ["type"] = "POSTGRES", ["port"] = 5432 })).Problem(400);
        Assert.Contains(incomplete.Errors!, e => e.Code == "any_of");
        Assert.Equal("pg2.example.com", (await Api.Get(id)).View().Settings.GetProperty("hostname").GetString());
    }

    [Fact]
    public async Task Delete_answers_204_once_and_the_source_is_gone_everywhere()
    {
        var id = await Api.CreateOk(SourceBodies.Valid("SINGLESTORE"));

        (await Api.Delete(id)).Expect(204);

        (await Api.Delete(id)).Problem(404);
        (await Api.Get(id)).Problem(404);
        (await Api.Patch(id, new JsonObject { ["account_name"] = "x" })).Problem(404);
        (await Api.UpdateConfig(id, SourceBodies.Valid("SINGLESTORE"))).Problem(404);
        Assert.DoesNotContain(id, (await Api.ListAll()).Select(v => v.Id));
    }
}
