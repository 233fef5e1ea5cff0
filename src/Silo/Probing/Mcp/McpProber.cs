using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Http;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.Mcp;

/// <summary>
/// MCP: initializes a session with the server at base_url (Streamable HTTP, falling back to SSE),
/// then lists its tools with their input schemas. The SDK's own waits (30–60 s by default) are cut to the probe's deadline,
/// so a silent port does not hold its work open long after the runner has answered.
/// </summary>
public sealed class McpProber(NetworkPolicy network) : IProber
{
    private const int MaxTools = 1000;
    private const int MaxPages = 50;
    private const int MaxDescriptionChars = 1000;
    private const int MaxInputSchemaChars = 16 * 1024;

    public string Type => "MCP";

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings) =>
        HttpUrls.Parse(settings["base_url"]?.GetValue<string>(), "/base_url").Problem is { } problem ? [problem] : [];

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var url = HttpUrls.Parse(settings["base_url"]!.GetValue<string>(), "/base_url").Url!;
        var token = settings["access_token"]?.GetValue<string>();
        var options = new HttpClientTransportOptions
        {
            Endpoint = url,
            TransportMode = HttpTransportMode.AutoDetect,
            ConnectionTimeout = context.Budget,
            Name = "sources-probe",
            // A probe asks and leaves: no stream for unsolicited server messages.
            EnableStandaloneGetStream = false,
            MaxReconnectionAttempts = 0,
            AdditionalHeaders = token is null ? null : new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        };
        var transport = new HttpClientTransport(options, GuardedHttp.Answers(network, context.Budget), NullLoggerFactory.Instance, ownsHttpClient: true);
        try
        {
            await using var client = await McpClient.CreateAsync(transport, new McpClientOptions
            {
                ClientInfo = new Implementation { Name = "sources", Version = "1.0" },
                InitializationTimeout = context.Budget,
            }, NullLoggerFactory.Instance, cancellation);
            return Discovered(client, await FirstTools(client, cancellation), settings);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            return Classify(ex, url.Host, cancellation);
        }
    }

    /// <summary>
    /// The tools, a page at a time, until <see cref="MaxTools"/> are listed or <see cref="MaxPages"/>
    /// pages are read: a server that lists without end is read no further than that.
    /// </summary>
    private static async Task<List<Tool>> FirstTools(McpClient client, CancellationToken cancellation)
    {
        var tools = new List<Tool>();
        string? cursor = null;
        for (var page = 0; page < MaxPages && tools.Count < MaxTools; page++)
        {
            var listed = await client.ListToolsAsync(new ListToolsRequestParams { Cursor = cursor }, cancellation);
            tools.AddRange(listed.Tools.Take(MaxTools - tools.Count));
            if ((cursor = listed.NextCursor) is null)
                break;
        }
        return tools;
    }

    private static ProbeResult Discovered(McpClient client, List<Tool> tools, JsonObject settings)
    {
        var names = tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var selected = settings["selected_tools"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];
        var warnings = selected.Where(s => !names.Contains(s))
            .Select(s => $"The selected tool '{s}' is not listed by the server.")
            .ToArray();
        var server = client.ServerInfo;
        var discovery = DiscoveryJson.Start(DiscoveryJson.Tools);
        if (server is not null)
            discovery["server"] = WithoutNulls(new JsonObject { ["name"] = server.Name, ["version"] = server.Version });
        if (client.NegotiatedProtocolVersion is { } protocol)
            discovery["protocol_version"] = protocol;
        discovery["tools"] = DiscoveryJson.Objects(tools.Take(MaxTools).Select(Tool));
        return ProbeResult.Succeeded(server is null ? null : $"{server.Name} {server.Version}", discovery.ToJsonString(), warnings);
    }

    /// <summary>A tool with its input schema as the server gave it, unless that passes <see cref="MaxInputSchemaChars"/>.</summary>
    private static JsonObject Tool(Tool tool)
    {
        var entry = new JsonObject { ["name"] = tool.Name };
        if (Cut(tool.Description) is { } description)
            entry["description"] = description;
        if (tool.InputSchema.ValueKind == System.Text.Json.JsonValueKind.Object && tool.InputSchema.GetRawText() is { Length: <= MaxInputSchemaChars } schema)
            entry["input_schema"] = JsonNode.Parse(schema);
        return entry;
    }

    private static JsonObject WithoutNulls(JsonObject value)
    {
        foreach (var name in value.Where(p => p.Value is null).Select(p => p.Key).ToList())
            value.Remove(name);
        return value;
    }

    private static string? Cut(string? text) => text is { Length: > MaxDescriptionChars } ? text[..(MaxDescriptionChars - 1)] + "…" : text;

    private static ProbeResult Classify(Exception ex, string host, CancellationToken cancellation) => ex switch
    {
        _ when AnswerTooLargeException.In(ex) => AnswerTooLargeException.Result(),
        // The server answered, but not as an MCP server would (a JSON-RPC error to initialize).
        McpProtocolException => ProbeResult.Failed(ProbeOutcome.Error, $"'{host}' refused the MCP handshake."),
        // The SDK's own timeouts (connection, initialization) end inside the deadline.
        OperationCanceledException or TimeoutException => ProbeResult.Failed(ProbeOutcome.Timeout, $"'{host}' did not answer the MCP handshake in time."),
        _ => HttpFailures.Classify(ex, host, cancellation),
    };
}
