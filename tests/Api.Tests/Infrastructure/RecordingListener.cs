using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// A hostile peer on a loopback port: it accepts every connection and records every byte sent to
/// it, answering nothing. A connection ends when the peer closes it, or once an HTTP request's
/// head has arrived (so an HTTP probe sent here fails at once instead of waiting out its deadline).
/// </summary>
public sealed class RecordingListener : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<byte[]> _received = new();
    private int _connections;

    public RecordingListener()
    {
        _listener.Start();
        _ = AcceptAll();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Everything received so far, every connection's bytes one after another.</summary>
    public byte[] Received => [.. _received.SelectMany(chunk => chunk)];

    public string ReceivedText => Encoding.Latin1.GetString(Received);

    private async Task AcceptAll()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = Record(socket);
        }
    }

    private async Task Record(Socket socket)
    {
        using (socket)
        {
            var head = new List<byte>();
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                    if (read == 0) return;
                    _received.Enqueue(buffer[..read]);
                    head.AddRange(buffer.AsSpan(0, read));
                    if (Encoding.Latin1.GetString([.. head]).Contains("\r\n\r\n", StringComparison.Ordinal)) return;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Dispose();
    }
}
