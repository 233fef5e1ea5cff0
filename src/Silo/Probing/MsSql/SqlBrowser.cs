using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sources.Silo.Probing.MsSql;

/// <summary>
/// Asks SQL Server Browser (MS-SQLR, UDP) at the address the network policy checked for the TCP
/// port of one named instance, so the probe connects through <see cref="TdsRoutingGuard"/> as with
/// an explicit port. One CLNT_UCAST_INST datagram out; one SVR_RESP answer of at most
/// <see cref="MaxAnswer"/> bytes back, within the wait its caller gives.
/// </summary>
public static class SqlBrowser
{
    public const int Port = 1434;

    /// <summary>MS-SQLR caps the answer to one instance at 1,024 bytes of data, after a 3-byte header.</summary>
    public const int MaxAnswer = 3 + 1024;

    private const byte UnicastInstance = 0x04;
    private const byte ServerResponse = 0x05;

    public sealed record Answer(int? Port, ProbeResult? Failure);

    public static async Task<Answer> InstancePort(IPEndPoint browser, string host, string instance, TimeSpan wait, CancellationToken cancellation)
    {
        using var socket = new Socket(browser.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(wait);
        var buffer = new byte[MaxAnswer + 1];
        int received;
        try
        {
            // Connected: the kernel drops datagrams from any other address or port.
            await socket.ConnectAsync(browser, timeout.Token).ConfigureAwait(false);
            await socket.SendAsync(Request(instance), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
            if (cancellation.IsCancellationRequested) throw new OperationCanceledException(cancellation);
            return new Answer(null, ProbeResult.Failed(ProbeOutcome.Unreachable,
                $"SQL Browser on '{host}' did not answer for instance '{instance}' (UDP port {browser.Port}); name the server's port instead of the instance, or allow UDP 1434 to it."));
        }
        return Read(buffer.AsSpan(0, received), host, instance);
    }

    /// <summary>CLNT_UCAST_INST: 0x04, the instance name in single-byte characters, a 0x00.</summary>
    public static byte[] Request(string instance) => [UnicastInstance, .. Encoding.ASCII.GetBytes(instance), 0];

    /// <summary>SVR_RESP: 0x05, the data's length (little-endian), then "key;value;...;;" per instance.</summary>
    public static Answer Read(ReadOnlySpan<byte> datagram, string host, string instance)
    {
        if (datagram.Length < 3 || datagram.Length > MaxAnswer || datagram[0] != ServerResponse
            || datagram[1] + (datagram[2] << 8) != datagram.Length - 3)
            return new Answer(null, ProbeResult.Failed(ProbeOutcome.Error, $"'{host}' answered on the SQL Browser port with data a SQL Browser answer does not hold."));
        var text = Encoding.Latin1.GetString(datagram[3..]);
        foreach (var record in text.Split(";;", StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = record.Split(';');
            var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i + 1 < fields.Length; i += 2)
                values.TryAdd(fields[i], fields[i + 1]);
            if (!values.TryGetValue("InstanceName", out var name) || !name.Equals(instance, StringComparison.OrdinalIgnoreCase))
                continue;
            if (!values.TryGetValue("tcp", out var tcp))
                return new Answer(null, ProbeResult.Failed(ProbeOutcome.Unsupported,
                    $"The instance '{instance}' on '{host}' does not listen on TCP; Sources connects over TCP only."));
            return int.TryParse(tcp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
                ? new Answer(port, null)
                : new Answer(null, ProbeResult.Failed(ProbeOutcome.Error, $"SQL Browser on '{host}' named a TCP port for instance '{instance}' that is not a port number."));
        }
        return new Answer(null, ProbeResult.Failed(ProbeOutcome.NotFound, $"SQL Browser on '{host}' knows no instance '{instance}'."));
    }
}
