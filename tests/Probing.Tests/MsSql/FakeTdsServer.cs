using System.Net;
using System.Net.Sockets;
using static Sources.Probing.Tests.MsSql.TdsWire;

namespace Sources.Probing.Tests.MsSql;

/// <summary>
/// The least of a SQL Server on a loopback port: it answers PRELOGIN saying it does not support
/// encryption, and answers LOGIN7 with a routing ENVCHANGE to <see cref="RouteTo"/>, a LOGINACK
/// and a DONE, as a server that routes logins (an Azure SQL gateway, an availability group's
/// read-only routing) does. <see cref="RouteTo"/> is a second listener that counts connections.
/// </summary>
internal sealed class FakeTdsServer : IAsyncDisposable
{
    private readonly TcpListener _server = new(IPAddress.Loopback, 0);
    private readonly TcpListener _routed = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly Task _counting;
    private int _routedConnections;
    private int _logins;

    public FakeTdsServer()
    {
        _server.Start();
        _routed.Start();
        _serving = Serve(_stop.Token);
        _counting = Count(_stop.Token);
    }

    public int Port => ((IPEndPoint)_server.LocalEndpoint).Port;

    public IPEndPoint RouteTo => (IPEndPoint)_routed.LocalEndpoint;

    /// <summary>LOGIN7 messages the server read.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary>Connections the routed-to listener accepted.</summary>
    public int RoutedConnections => Volatile.Read(ref _routedConnections);

    private async Task Count(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                using var socket = await _routed.AcceptSocketAsync(stop);
                Interlocked.Increment(ref _routedConnections);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task Serve(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                using var client = await _server.AcceptTcpClientAsync(stop);
                try
                {
                    var stream = client.GetStream();
                    await ReadMessage(stream, stop); // PRELOGIN
                    await stream.WriteAsync(Packet(0x04, PreLoginAnswer(encryption: 0x02)), stop);
                    await ReadMessage(stream, stop); // LOGIN7
                    Interlocked.Increment(ref _logins);
                    await stream.WriteAsync(Packet(0x04, [.. Routing(RouteTo.Port), .. LoginAck(), .. Done(0)]), stop);
                    // Held open until the client leaves.
                    while (await stream.ReadAsync(new byte[512], stop) > 0)
                    {
                    }
                }
                catch (IOException)
                {
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Stop();
        _routed.Stop();
        await Task.WhenAll(_serving, _counting);
    }
}
