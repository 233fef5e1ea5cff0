using System.Net.Sockets;
using System.Security.Authentication;
using Npgsql;

namespace Sources.Silo.Probing.Postgres;

/// <summary>Classifies what Npgsql throws by SQLSTATE and socket error, never by message text.</summary>
public static class PostgresFailures
{
    public static ProbeResult Classify(Exception exception, string host, string? database)
    {
        switch (exception)
        {
            case PostgresException pg:
                return FromSqlState(pg.SqlState, database);
            case NpgsqlException { InnerException: AuthenticationException }:
            case AuthenticationException:
                return ProbeResult.Failed(ProbeOutcome.TlsError, $"The TLS handshake with '{host}' failed.");
            case NpgsqlException { InnerException: TimeoutException }:
            case TimeoutException:
                return ProbeResult.Failed(ProbeOutcome.Timeout, $"'{host}' did not answer in time.");
            case NpgsqlException { InnerException: SocketException socket }:
                return FromSocket(socket.SocketErrorCode, host);
            case SocketException socket:
                return FromSocket(socket.SocketErrorCode, host);
            case NpgsqlException { InnerException: IOException or EndOfStreamException }:
                return ProbeResult.Failed(ProbeOutcome.Unreachable, $"'{host}' closed the connection; it may not be a PostgreSQL server.");
            case NpgsqlException { InnerException: { } inner }:
                return Classify(inner, host, database);
            default:
                return ProbeResult.Failed(ProbeOutcome.Error, "The PostgreSQL server answered in a way Sources did not expect.");
        }
    }

    private static ProbeResult FromSqlState(string sqlState, string? database) => sqlState switch
    {
        "28P01" or "28000" => ProbeResult.Failed(ProbeOutcome.AuthFailed, "The server refused the username or password."),
        "3D000" => ProbeResult.Failed(ProbeOutcome.NotFound, $"The database '{database}' does not exist."),
        "42501" => ProbeResult.Failed(ProbeOutcome.PermissionDenied, "The user may not connect to this database or read its catalog."),
        "53300" => ProbeResult.Failed(ProbeOutcome.Unreachable, "The server has no free connection slots."),
        "57P03" => ProbeResult.Failed(ProbeOutcome.Unreachable, "The server is starting up or shutting down."),
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) => ProbeResult.Failed(ProbeOutcome.Unreachable, $"The connection failed (SQLSTATE {sqlState})."),
        _ => ProbeResult.Failed(ProbeOutcome.Error, $"The server answered with an error (SQLSTATE {sqlState})."),
    };

    private static ProbeResult FromSocket(SocketError error, string host) => error switch
    {
        SocketError.ConnectionRefused => ProbeResult.Failed(ProbeOutcome.Unreachable, $"'{host}' refused the connection: is the server running on that port?"),
        SocketError.TimedOut => ProbeResult.Failed(ProbeOutcome.Timeout, $"'{host}' did not answer in time."),
        SocketError.HostNotFound or SocketError.NoData => ProbeResult.Failed(ProbeOutcome.Unreachable, $"The host '{host}' could not be found."),
        _ => ProbeResult.Failed(ProbeOutcome.Unreachable, $"'{host}' could not be reached ({error})."),
    };
}
