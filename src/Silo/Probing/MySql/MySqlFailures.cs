using MySqlConnector;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.MySql;

/// <summary>Classifies what MySqlConnector throws by server error number and socket error, never by message text.</summary>
public static class MySqlFailures
{
    public static ProbeResult Classify(Exception exception, string host, string database, string product, ServerCertificateCheck? check = null)
    {
        // A server that takes only TLS (require_secure_transport, REQUIRE SSL) answers a sign-in
        // without it as it answers a wrong password: 1045.
        if (exception is MySqlException { Number: 1045 } && check?.Tls.Mode == TlsMode.Disable)
            return ProbeResult.Failed(ProbeOutcome.AuthFailed,
                "The server refused the username or password, or refuses sign-ins without TLS (ssl_mode is disable).");
        if (exception is MySqlException mysql && FromNumber(mysql.Number, database) is { } known)
            return known;
        if (check?.Mismatch is not null)
            return check.Failed();
        // The server's greeting has no TLS flag: MySqlConnector gives up before any handshake, with no cause beneath.
        if (exception is MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost, InnerException: null } && check is { Started: false, Tls.Mode: not TlsMode.Disable })
            return ServerCertificateCheck.NotOffered(host, check.Tls.Mode);
        // The driver's own connect timeout says "unable to connect" on the outside and
        // CommandTimeoutExpired underneath, over the socket operation it aborted.
        if (Chain(exception).Any(e => e is MySqlException { ErrorCode: MySqlErrorCode.CommandTimeoutExpired }))
            return TransportFailures.TimedOut(host);
        if (TransportFailures.Find(exception, host) is { } transport)
            return transport;
        return exception switch
        {
            MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } => ProbeResult.Failed(ProbeOutcome.Unreachable, $"'{host}' could not be reached."),
            MySqlException { InnerException: IOException or EndOfStreamException } or IOException => TransportFailures.Closed(host, product),
            MySqlException { Number: > 0 } numbered => ProbeResult.Failed(ProbeOutcome.Error, $"The server answered with error {numbered.Number}."),
            _ => ProbeResult.Failed(ProbeOutcome.Error, $"The {product} server answered in a way Sources did not expect."),
        };
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            yield return e;
    }

    private static ProbeResult? FromNumber(int number, string database) => number switch
    {
        // 1045 wrong user or password; 1251 an auth plugin the driver cannot speak;
        // 1820/1862 password must change / expired; 3118 (MySQL) and 4151 (MariaDB) account locked.
        1045 or 1251 or 1820 or 1862 or 3118 or 4151 => ProbeResult.Failed(ProbeOutcome.AuthFailed, "The server refused the username or password."),
        1049 => ProbeResult.Failed(ProbeOutcome.NotFound, $"The database '{database}' does not exist."),
        // The server answers 1044 also for a database that does not exist when the user could not
        // read it anyway, so as not to tell which names exist.
        1044 => ProbeResult.Failed(ProbeOutcome.PermissionDenied, $"The user may not use the database '{database}', or it does not exist."),
        1142 or 1143 or 1227 => ProbeResult.Failed(ProbeOutcome.PermissionDenied, $"The user may not read the catalog of '{database}'."),
        // 1130 this client's host may not connect; 1129 it is blocked after too many errors.
        1129 or 1130 => ProbeResult.Failed(ProbeOutcome.PermissionDenied, "The server does not accept connections for this user from Sources' address."),
        1040 or 1203 => ProbeResult.Failed(ProbeOutcome.Unreachable, "The server has no free connection slots."),
        _ => null,
    };
}
