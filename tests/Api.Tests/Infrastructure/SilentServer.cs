using System.Net;
using System.Net.Sockets;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// A loopback port whose connections the kernel completes but nobody ever answers: a check of a
/// source pointed here (with no driver timeout) cannot finish until this is disposed.
/// </summary>
public sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public SilentServer() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>A POSTGRES source on this port whose driver waits forever (Timeout=0).</summary>
    public System.Text.Json.Nodes.JsonObject PostgresBody() => new()
    {
        ["type"] = "POSTGRES",
        ["account_name"] = "Never answers",
        ["connection_string"] = $"Host=127.0.0.1;Port={Port};Timeout=0;Username=u;Password=p;Database=d",
    };

    public void Dispose() => _listener.Dispose();
}
