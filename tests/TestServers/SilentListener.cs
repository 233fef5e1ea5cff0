using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Sources.TestServers;

/// <summary>
/// A loopback port that accepts TCP connections and never says a word: what a firewalled or
/// hung server looks like. It counts how many connections are open at once.
/// </summary>
public sealed class SilentListener : IAsyncDisposable, IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _open;
    private int _maxOpen;
    private int _accepted;
    /// <summary>Each accepted connection's place in the order they were accepted, by the client's end.</summary>
    private readonly ConcurrentDictionary<EndPoint, int> _order = new();

    public SilentListener()
    {
        _listener.Start();
        _accepting = Accept();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int MaxOpenAtOnce => Volatile.Read(ref _maxOpen);
    public int Accepted => Volatile.Read(ref _accepted);

    private async Task Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            if (socket.RemoteEndPoint is { } client) _order[client] = Interlocked.Increment(ref _accepted);
            else Interlocked.Increment(ref _accepted);
            var open = Interlocked.Increment(ref _open);
            InterlockedMax(ref _maxOpen, open);
            _ = Hold(socket);
        }
    }

    /// <summary>Reads and ignores whatever arrives until the client hangs up.</summary>
    private async Task Hold(Socket socket)
    {
        var buffer = new byte[1024];
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0) { }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException) { }
        finally
        {
            Interlocked.Decrement(ref _open);
            socket.Dispose();
        }
    }

    /// <summary>
    /// How many connections it accepted before one made now: connections are accepted in order, so
    /// once this one is accepted every earlier one has been (no waiting on a guess of how long is enough).
    /// </summary>
    public async Task<int> AcceptedBeforeNowAsync()
    {
        using var marker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await marker.ConnectAsync(IPAddress.Loopback, Port);
        var position = await Poll.Until(() => _order.TryGetValue(marker.LocalEndPoint!, out var n) ? (object)n : null,
            TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(10), "the marker connection accepted");
        return (int)position - 1;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
