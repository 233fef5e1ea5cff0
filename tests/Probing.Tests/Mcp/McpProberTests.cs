using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Mcp;
using Sources.Silo.Probing.Network;
using Sources.TestServers;

namespace Sources.Probing.Tests.Mcp;

/// <summary>The MCP prober against the real npm reference server, in both transports.</summary>
public sealed class McpProberTests(McpServers servers) : IClassFixture<McpServers>
{
    private static readonly McpProber Prober = new(Probes.Loopback);

    private static JsonObject Settings(string baseUrl, string? token = null, params string[] selected)
    {
        var settings = new JsonObject { ["type"] = "MCP", ["base_url"] = baseUrl };
        if (token is not null) settings["access_token"] = token;
        if (selected.Length > 0) settings["selected_tools"] = new JsonArray(selected.Select(s => (JsonNode)s).ToArray());
        return settings;
    }

    private static JsonObject Discovery(ProbeResult result) => JsonNode.Parse(result.DiscoveryJson!)!.AsObject();

    private static IEnumerable<string> ToolNames(ProbeResult result) =>
        Discovery(result)["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>());

    [Fact]
    public async Task Streamable_http_initializes_and_lists_the_tools()
    {
        var result = await Prober.Probe(Settings(servers.Streamable.Endpoint), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Empty(result.Warnings);
        var discovery = Discovery(result);
        Assert.False(string.IsNullOrEmpty(discovery["server"]!["name"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(discovery["protocol_version"]!.GetValue<string>()));
        Assert.Contains("echo", ToolNames(result));
        Assert.All(discovery["tools"]!.AsArray(), t => Assert.NotNull(t!["description"]));
    }

    [Fact]
    public async Task Sse_endpoint_is_detected_and_lists_the_tools()
    {
        var result = await Prober.Probe(Settings(servers.Sse.Endpoint), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Contains("echo", ToolNames(result));
    }

    [Fact]
    public async Task Selected_tools_the_server_lists_give_no_warning()
    {
        var result = await Prober.Probe(Settings(servers.Streamable.Endpoint, null, "echo"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task Selected_tools_the_server_does_not_list_are_named_in_warnings()
    {
        var result = await Prober.Probe(Settings(servers.Streamable.Endpoint, null, "echo", "no_such_tool"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("no_such_tool", warning);
    }

    [Fact]
    public async Task The_access_token_is_sent_as_a_bearer_header()
    {
        var seen = new List<string>();
        await using var proxy = await BearerProxy.Start(servers.Streamable.Endpoint, "tok_right", seen);

        var result = await Prober.Probe(Settings(proxy.BaseUrl + "/mcp", "tok_right"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Contains("echo", ToolNames(result));
        Assert.All(seen, header => Assert.Equal("Bearer tok_right", header));
    }

    [Fact]
    public async Task A_refused_token_is_auth_failed()
    {
        var seen = new List<string>();
        await using var proxy = await BearerProxy.Start(servers.Streamable.Endpoint, "tok_right", seen);

        var result = await Prober.Probe(Settings(proxy.BaseUrl + "/mcp", "tok_wrong"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
        Assert.Contains("Bearer tok_wrong", seen);
        Assert.DoesNotContain("tok_wrong", result.Message);
    }

    [Fact]
    public async Task An_endpoint_the_server_does_not_have_is_not_found()
    {
        var result = await Prober.Probe(Settings($"http://127.0.0.1:{servers.Streamable.Port}/no-such-endpoint"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_unreachable()
    {
        var result = await Prober.Probe(Settings($"http://127.0.0.1:{FreePort.Next()}/mcp"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
    }

    [Fact]
    public async Task A_listener_that_never_answers_ends_at_the_deadline()
    {
        using var silent = new SilentListener();
        var settings = Probes.Settings(deadlineSeconds: 2);
        var runner = Probes.Runner(new McpProber(Probes.Loopback), settings);

        var result = await runner.Run("MCP", Settings($"http://127.0.0.1:{silent.Port}/mcp"), Probes.Context, [], CancellationToken.None);

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
    }

    [Fact]
    public async Task A_denied_address_is_refused_before_any_connection()
    {
        var result = await new McpProber(Probes.Strict).Probe(Settings(servers.Streamable.Endpoint), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
        Assert.Equal(NetworkPolicy.DeniedMessage, result.Message);
    }

    [Theory]
    [InlineData("ftp://mcp.example.com/mcp")]
    [InlineData("https://user:secret@mcp.example.com/mcp")]
    [InlineData("not a url")]
    public void Check_refuses_what_is_not_a_plain_http_url(string baseUrl)
    {
        var problem = Assert.Single(Prober.Check(Settings(baseUrl)));
        Assert.Equal("/base_url", problem.Pointer);
    }

    [Fact]
    public async Task Each_tool_comes_with_its_input_schema_as_the_server_gave_it()
    {
        var result = await Prober.Probe(Settings(servers.Streamable.Endpoint), Probes.Context, CancellationToken.None);

        var discovery = DiscoveryAnswers.Read<Sources.Contracts.ToolsDiscovery>(result);
        var echo = discovery.Tools.Single(t => t.Name == "echo");
        var schema = System.Text.Json.Nodes.JsonNode.Parse(echo.InputSchema!.Value.GetRawText())!;
        Assert.Equal("object", schema["type"]!.GetValue<string>());
        Assert.NotNull(schema["properties"]!["message"]);
    }
}
