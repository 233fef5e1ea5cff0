using Sources.Probing.Tests.Support;

namespace Sources.Probing.Tests.Mcp;

/// <summary>One reference server per transport, shared by the MCP tests of a class.</summary>
public sealed class McpServers : IAsyncLifetime
{
    public McpEverythingServer Streamable { get; private set; } = null!;
    public McpEverythingServer Sse { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var streamable = McpEverythingServer.Start("streamableHttp");
        var sse = McpEverythingServer.Start("sse");
        Streamable = await streamable;
        Sse = await sse;
    }

    public async Task DisposeAsync()
    {
        if (Streamable is not null) await Streamable.DisposeAsync();
        if (Sse is not null) await Sse.DisposeAsync();
    }
}
