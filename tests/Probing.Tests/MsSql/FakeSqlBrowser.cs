using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sources.Probing.Tests.MsSql;

/// <summary>
/// SQL Server Browser on a loopback UDP port: it reads each CLNT_UCAST_INST datagram and answers
/// SVR_RESP with the answer it was given as its data, or never answers when that is null.
/// </summary>
internal sealed class FakeSqlBrowser : IDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private readonly List<byte[]> _requests = [];

    public FakeSqlBrowser(string? answer)
    {
        _serving = Serve(answer, _stop.Token);
    }

    public int Port => ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;

    /// <summary>The datagrams the browser read, as sent.</summary>
    public IReadOnlyList<byte[]> Requests
    {
        get
        {
            lock (_requests)
                return [.. _requests];
        }
    }

    /// <summary>The answer of a server with one instance listening on TCP <paramref name="port"/>.</summary>
    public static string Instance(string name, int port) =>
        $"ServerName;TESTBOX;InstanceName;{name};IsClustered;No;Version;16.0.1000.6;tcp;{port};;";

    private async Task Serve(string? answer, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                var request = await _socket.ReceiveAsync(stop);
                lock (_requests)
                    _requests.Add(request.Buffer);
                if (answer is null)
                    continue;
                var data = Encoding.ASCII.GetBytes(answer);
                byte[] datagram = [0x05, (byte)data.Length, (byte)(data.Length >> 8), .. data];
                await _socket.SendAsync(datagram, request.RemoteEndPoint, stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _serving.GetAwaiter().GetResult();
        _socket.Dispose();
        _stop.Dispose();
    }
}
