using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Sources.Probing.Tests.MsSql;

/// <summary>
/// What the tests' fake SQL Servers share: a loopback port that serves one session after another
/// (<see cref="Session"/>), the LOGIN7 messages they read, and <see cref="RouteTo"/>, a second
/// listener that counts the connections a followed routing answer would make.
/// </summary>
internal abstract class FakeSqlServer : IAsyncDisposable
{
    private readonly TcpListener _server = new(IPAddress.Loopback, 0);
    private readonly TcpListener _routed = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private Task _serving = Task.CompletedTask;
    private Task _counting = Task.CompletedTask;
    private int _routedConnections;
    private int _logins;

    public int Port => ((IPEndPoint)_server.LocalEndpoint).Port;

    public IPEndPoint RouteTo => (IPEndPoint)_routed.LocalEndpoint;

    /// <summary>LOGIN7 messages the server read.</summary>
    public int Logins => Volatile.Read(ref _logins);

    /// <summary>Connections the routed-to listener accepted.</summary>
    public int RoutedConnections => Volatile.Read(ref _routedConnections);

    /// <summary>Starts listening; the subclass calls it last in its constructor, once its own fields are set.</summary>
    protected void Start()
    {
        _server.Start();
        _routed.Start();
        _serving = Serve(_stop.Token);
        _counting = Count(_stop.Token);
    }

    /// <summary>One client's session, from its PRELOGIN on.</summary>
    protected abstract Task Session(NetworkStream network, CancellationToken stop);

    protected void LoginRead() => Interlocked.Increment(ref _logins);

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
                    await Session(client.GetStream(), stop);
                }
                catch (Exception ex) when (ex is IOException or AuthenticationException)
                {
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
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
