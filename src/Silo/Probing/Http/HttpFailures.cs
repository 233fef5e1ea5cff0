using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.Http;

/// <summary>
/// Classifies what an HTTP exchange with a user-given host threw or answered, by exception
/// type, socket error and status code, never by message text. Messages name only the host the
/// user gave.
/// </summary>
public static class HttpFailures
{
    /// <summary>
    /// The outcome of an exception. When the caller's token fired (the probe's deadline) it throws
    /// OperationCanceledException instead, so the runner reports its own timeout.
    /// </summary>
    public static ProbeResult Classify(Exception exception, string host, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested)
            throw new OperationCanceledException(cancellation);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DestinationRefusedException refused:
                    return refused.Destination.ToResult();
                case AuthenticationException:
                    return TransportFailures.TlsFailed(host);
                case SocketException socket:
                    return TransportFailures.FromSocket(socket.SocketErrorCode, host);
                case TimeoutException or TaskCanceledException:
                    return TransportFailures.TimedOut(host);
                case HttpRequestException { StatusCode: { } status }:
                    return FromStatus(status, host);
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return TransportFailures.NotFound(host);
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }:
                    return TransportFailures.TlsFailed(host);
                case HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded } when e.InnerException is null:
                    return ProbeResult.Failed(ProbeOutcome.Unreachable, $"'{host}' closed the connection or did not speak HTTP.");
            }
        }
        return ProbeResult.Failed(ProbeOutcome.Error, $"'{host}' answered in a way Sources did not expect.");
    }

    /// <summary>The outcome of an HTTP status that is not a success.</summary>
    public static ProbeResult FromStatus(HttpStatusCode status, string host) => (int)status switch
    {
        401 => ProbeResult.Failed(ProbeOutcome.AuthFailed, $"'{host}' refused the credentials (HTTP 401)."),
        403 => ProbeResult.Failed(ProbeOutcome.PermissionDenied, $"'{host}' denied access (HTTP 403)."),
        404 or 410 => ProbeResult.Failed(ProbeOutcome.NotFound, $"'{host}' has nothing at that address (HTTP {(int)status})."),
        408 or 504 => ProbeResult.Failed(ProbeOutcome.Timeout, $"'{host}' did not answer in time (HTTP {(int)status})."),
        >= 300 and < 400 => ProbeResult.Failed(ProbeOutcome.InvalidConfig, $"'{host}' redirected elsewhere (HTTP {(int)status}); give the final address."),
        502 or 503 => ProbeResult.Failed(ProbeOutcome.Unreachable, $"'{host}' is unavailable (HTTP {(int)status})."),
        _ => ProbeResult.Failed(ProbeOutcome.Error, $"'{host}' answered HTTP {(int)status}."),
    };
}
