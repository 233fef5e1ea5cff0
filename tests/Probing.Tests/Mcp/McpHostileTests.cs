using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Mcp;

namespace Sources.Probing.Tests.Mcp;

/// <summary>
/// An MCP server that lists 100,000 tools with 20,000-character descriptions, a page at a time:
/// the probe reads no more pages than its bounds allow, keeps at most 1,000 tools with their
/// descriptions cut, and answers a named outcome.
/// </summary>
public sealed class McpHostileTests
{
    private const int Tools = 100_000;
    private const int DescriptionChars = 20_000;

    [Theory]
    // 100 tools a page: the 1,000-tool bound stops it after 10 pages.
    [InlineData(100, 10, 1000)]
    // 10 tools a page: the 50-page bound stops it first, at 500 tools.
    [InlineData(10, 50, 500)]
    public async Task A_server_listing_a_hundred_thousand_tools_is_read_only_to_the_bounds(int perPage, int pagesRead, int toolsKept)
    {
        var pagesServed = 0;
        await using var server = await LoopbackWeb.Start(app => app.MapPost("/mcp", (Delegate)(async (HttpContext http) =>
        {
            var request = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            var method = request["method"]!.GetValue<string>();
            if (request["id"] is not { } id)
            {
                http.Response.StatusCode = StatusCodes.Status202Accepted; // a notification
                return;
            }
            http.Response.ContentType = "application/json";
            if (method is not ("initialize" or "tools/list"))
            {
                await http.Response.WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["error"] = new JsonObject { ["code"] = -32601, ["message"] = "Method not found" } }.ToJsonString(), Encoding.UTF8);
                return;
            }
            JsonObject result;
            if (method == "initialize")
            {
                result = new JsonObject
                {
                    ["protocolVersion"] = request["params"]!["protocolVersion"]!.GetValue<string>(),
                    ["capabilities"] = new JsonObject { ["tools"] = new JsonObject() },
                    ["serverInfo"] = new JsonObject { ["name"] = "hostile", ["version"] = "1" },
                };
            }
            else
            {
                Interlocked.Increment(ref pagesServed);
                var first = int.TryParse(request["params"]?["cursor"]?.GetValue<string>(), out var cursor) ? cursor : 0;
                var last = Math.Min(first + perPage, Tools);
                result = new JsonObject
                {
                    ["tools"] = new JsonArray(Enumerable.Range(first, last - first).Select(i => (JsonNode)new JsonObject
                    {
                        ["name"] = $"tool_{i}",
                        ["description"] = new string('d', DescriptionChars),
                        ["inputSchema"] = new JsonObject { ["type"] = "object" },
                    }).ToArray()),
                    ["nextCursor"] = last < Tools ? last.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                };
            }
            await http.Response.WriteAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id.DeepClone(), ["result"] = result }.ToJsonString(), Encoding.UTF8);
        })));

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var result = await Probes.Runner(new McpProber(Probes.Loopback), Probes.Settings(deadlineSeconds: 60))
            .Run("MCP", new JsonObject { ["type"] = "MCP", ["base_url"] = server.BaseUrl + "/mcp" }, Probes.Context, [], CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        Assert.True(result.Outcome == ProbeOutcome.Ok, $"{result.Outcome}: {result.Message}");
        Assert.Equal(pagesRead, Volatile.Read(ref pagesServed));
        // The discovery is cut into pages of its own bound: the tools kept are those of every page.
        var tools = new[] { result.DiscoveryJson! }.Concat(result.MorePages ?? [])
            .SelectMany(page => JsonNode.Parse(page)!["tools"]!.AsArray())
            .ToList();
        Assert.Equal(toolsKept, tools.Count);
        Assert.All(tools, tool => Assert.Equal(1000, tool!["description"]!.GetValue<string>().Length));
        // The whole listing is 100,000 × 20,000 characters (4 GB as UTF-16); what this process
        // allocated, server included, follows the pages read, not the listing.
        Assert.True(allocated < 2L << 30, $"{allocated} bytes allocated");
    }
}
