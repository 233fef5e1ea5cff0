using System.Text.Json.Nodes;
using Sources.Api.Apis;

namespace Sources.Api.Tests.Apis;

/// <summary>How a URL whose query string is a secret is shown, and what is sealed in its place.</summary>
[Trait("Speed", "fast")]
public sealed class UrlSecretsTests
{
    [Theory]
    [InlineData("https://h.example.com/p?a=1&b&c=", "https://h.example.com/p?a=REDACTED&REDACTED&c=REDACTED")]
    [InlineData("https://h.example.com/p?sk_live_0123", "https://h.example.com/p?REDACTED")]
    [InlineData("https://h.example.com/p?x=1#access_token=t", "https://h.example.com/p?x=REDACTED#REDACTED")]
    [InlineData("https://h.example.com/p#t", "https://h.example.com/p#REDACTED")]
    [InlineData("https://h.example.com/a%3Fb?sig=a%3Db", "https://h.example.com/a%3Fb?sig=REDACTED")]
    public void Each_query_value_and_any_fragment_is_replaced_by_the_marker(string url, string shown) =>
        Assert.Equal(shown, UrlSecrets.Redact(url));

    [Fact]
    public void A_url_without_query_or_fragment_has_nothing_to_hide() =>
        Assert.Null(UrlSecrets.Redact("https://h.example.com/orders.csv"));

    [Fact]
    public void The_whole_file_list_is_sealed_and_only_the_urls_with_a_query_are_named()
    {
        var settings = new JsonObject
        {
            ["type"] = "FILE",
            ["file_urls"] = new JsonArray(
                new JsonObject { ["url"] = "https://h.example.com/a.csv", ["filename"] = "a.csv" },
                new JsonObject { ["url"] = "https://h.example.com/b.csv?sig=s3cret", ["filename"] = "b.csv" }),
        };
        var whole = settings["file_urls"]!.DeepClone();
        var secrets = new JsonObject();

        var names = UrlSecrets.Seal("FILE", settings, secrets);

        Assert.Equal(["file_urls/1/url?query"], names);
        Assert.True(JsonNode.DeepEquals(whole, secrets["file_urls"]));
        Assert.Equal("https://h.example.com/a.csv", settings["file_urls"]![0]!["url"]!.GetValue<string>());
        Assert.Equal("https://h.example.com/b.csv?sig=REDACTED", settings["file_urls"]![1]!["url"]!.GetValue<string>());
        Assert.DoesNotContain("s3cret", settings.ToJsonString());
    }

    [Fact]
    public void Urls_of_other_types_and_urls_without_a_query_stay_settings()
    {
        var secrets = new JsonObject();
        Assert.Empty(UrlSecrets.Seal("MCP", new JsonObject { ["base_url"] = "https://mcp.example.com/mcp" }, secrets));
        Assert.Empty(UrlSecrets.Seal("POSTGRES", new JsonObject { ["base_url"] = "https://x.example.com/?k=v" }, secrets));
        Assert.Empty(secrets);
    }
}
