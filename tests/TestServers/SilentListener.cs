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
            Interlocked.Increment(ref _accepted);
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
