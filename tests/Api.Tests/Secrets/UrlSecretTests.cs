using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Secrets;

/// <summary>
/// The query string of a URL a probe fetches is a secret: answers show it redacted and storage
/// holds it sealed, while the probe (seen by a listener standing in for the file or MCP server)
/// still gets the whole URL, also after a patch and with the new one after an update-config.
/// </summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class UrlSecretTests(InProcessService service)
{
    private SourcesClient Api => service.Client;

    [Fact]
    public async Task A_file_urls_query_string_is_sealed_shown_redacted_and_still_sent_whole()
    {
        using var server = new RecordingListener();
        var first = new Canary();
        JsonObject Body(Canary canary) => new()
        {
            ["type"] = "FILE",
            ["file_urls"] = new JsonArray(
                new JsonObject { ["url"] = $"http://127.0.0.1:{server.Port}/orders.csv?X-Amz-Expires=60&X-Amz-Signature={canary.Value}", ["filename"] = "orders.csv" },
                new JsonObject { ["url"] = $"http://127.0.0.1:{server.Port}/plain.csv", ["filename"] = "plain.csv" }),
        };

        var id = await Api.CreateOk(Body(first));
        var view = (await Api.Get(id)).View();
        var files = JsonNode.Parse(view.Settings.GetProperty("file_urls").GetRawText())!.AsArray();
        Assert.Equal($"http://127.0.0.1:{server.Port}/orders.csv?X-Amz-Expires=REDACTED&X-Amz-Signature=REDACTED", files[0]!["url"]!.GetValue<string>());
        Assert.Equal($"http://127.0.0.1:{server.Port}/plain.csv", files[1]!["url"]!.GetValue<string>());
        Assert.Equal(["file_urls/0/url?query"], view.SecretsSet);

        await CheckedNow(id);
        Assert.Contains($"GET /orders.csv?X-Amz-Expires=60&X-Amz-Signature={first.Value} ", server.ReceivedText);

        // A patch keeps the sealed URL whole. (A change starts a check at once, so what follows is
        // measured from before it.)
        var seen = server.ReceivedText.Length;
        (await Api.Patch(id, new JsonObject { ["account_name"] = "Orders" })).Expect(200);
        await CheckedNow(id);
        Assert.Contains($"X-Amz-Signature={first.Value} ", server.ReceivedText[seen..]);

        // update-config with a whole URL replaces it.
        var second = new Canary();
        seen = server.ReceivedText.Length;
        (await Api.UpdateConfig(id, Body(second))).Expect(200);
        await CheckedNow(id);
        Assert.Contains($"X-Amz-Signature={second.Value} ", server.ReceivedText[seen..]);
        Assert.DoesNotContain(first.Value, server.ReceivedText[seen..]);

        foreach (var canary in new[] { first, second })
        {
            canary.AssertAbsent("a read", (await Api.Get(id)).Text);
            canary.AssertAbsent("a list", (await Api.List("?limit=100")).Text);
            foreach (var (where, bytes) in StorageContents.EmbeddedFiles(service.Node.Config))
                canary.AssertAbsent(where, bytes);
        }
    }

    [Fact]
    public async Task An_mcp_base_urls_query_string_is_sealed_shown_redacted_and_still_sent_whole()
    {
        using var server = new RecordingListener();
        var canary = new Canary();

        var id = await Api.CreateOk(new JsonObject { ["type"] = "MCP", ["base_url"] = $"http://127.0.0.1:{server.Port}/mcp?api_key={canary.Value}&v=2" });
        var view = (await Api.Get(id)).View();
        Assert.Equal($"http://127.0.0.1:{server.Port}/mcp?api_key=REDACTED&v=REDACTED", view.Settings.GetProperty("base_url").GetString());
        Assert.Equal(["base_url?query"], view.SecretsSet);

        await CheckedNow(id);
        Assert.Contains($"/mcp?api_key={canary.Value}&v=2 ", server.ReceivedText);
        canary.AssertAbsent("a read", (await Api.Get(id)).Text);
    }

    private async Task CheckedNow(long id) =>
        (await Api.Send(HttpMethod.Post, $"{SourcesClient.Root}{id}/test/")).Expect(200);
}
