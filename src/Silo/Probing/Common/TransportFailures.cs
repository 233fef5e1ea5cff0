using System.Net.Sockets;
using System.Security.Authentication;

namespace Sources.Silo.Probing.Common;

/// <summary>
/// The failures every TCP driver shares, named the same way for every type: a refused or
/// unreachable socket, a failed TLS handshake, a timeout. Found by exception type and socket
/// error code anywhere in the exception chain, never by message text; messages name only the
/// host the user gave.
/// </summary>
public static class TransportFailures
{
    /// <summary>The outcome of the first transport cause in the chain, or null when there is none.</summary>
    public static ProbeResult? Find(Exception exception, string host)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket:
                    return FromSocket(socket.SocketErrorCode, host);
                case AuthenticationException:
                    return TlsFailed(host);
                case TimeoutException:
                    return TimedOut(host);
            }
        }
        return null;
    }

    public static ProbeResult FromSocket(SocketError error, string host) => error switch
    {
        SocketError.ConnectionRefused => ProbeResult.Failed(ProbeOutcome.Unreachable, $"'{host}' refused the connection: is the server running on that port?"),
        SocketError.TimedOut => TimedOut(host),
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => NotFound(host),
        _ => ProbeResult.Failed(ProbeOutcome.Unreachable, $"'{host}' could not be reached ({error})."),
    };

    public static ProbeResult NotFound(string host) => ProbeResult.Failed(ProbeOutcome.Unreachable, $"The host '{host}' could not be found.");

    public static ProbeResult TlsFailed(string host) => ProbeResult.Failed(ProbeOutcome.TlsError, $"The TLS handshake with '{host}' failed.");

    public static ProbeResult TimedOut(string host) => ProbeResult.Failed(ProbeOutcome.Timeout, $"'{host}' did not answer in time.");

    public static ProbeResult Closed(string host, string product) =>
        ProbeResult.Failed(ProbeOutcome.Unreachable, $"'{host}' closed the connection; it may not be a {product} server.");
}
