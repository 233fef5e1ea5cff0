using Microsoft.Data.SqlClient;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.MsSql;

/// <summary>
/// Classifies what SqlClient throws by SQL Server error number (every error the server sent, not
/// only the first) and by the socket and TLS exceptions underneath, never by message text.
/// </summary>
public static class MsSqlFailures
{
    public static ProbeResult Classify(Exception exception, string host, string? database)
    {
        if (exception is SqlException sql)
        {
            var numbers = sql.Errors.Cast<SqlError>().Select(e => e.Number).Append(sql.Number).ToHashSet();
            // A login to a database it may not open answers 4060 and 18456 together; 4060 says more.
            foreach (var number in numbers.OrderBy(Priority))
                if (FromNumber(number, host, database) is { } known)
                    return known;
        }
        if (TransportFailures.Find(exception, host) is { } transport)
            return transport;
        return exception switch
        {
            SqlException { Class: >= 20 } => ProbeResult.Failed(ProbeOutcome.Unreachable, $"The connection to '{host}' failed before SQL Server answered."),
            SqlException numbered => ProbeResult.Failed(ProbeOutcome.Error, $"The server answered with error {numbered.Number}."),
            _ => ProbeResult.Failed(ProbeOutcome.Error, "The SQL Server answered in a way Sources did not expect."),
        };
    }

    private static int Priority(int number) => number is 4060 or 40532 ? 0 : 1;

    private static ProbeResult? FromNumber(int number, string host, string? database) => number switch
    {
        4060 => ProbeResult.Failed(ProbeOutcome.NotFound, $"The database '{database}' does not exist, or the user may not open it."),
        40532 => ProbeResult.Failed(ProbeOutcome.NotFound, "The server named in the login does not exist."),
        // 18456 login failed; 18470 disabled; 18486 locked out; 18487/18488 password expired or must change.
        18456 or 18470 or 18486 or 18487 or 18488 => ProbeResult.Failed(ProbeOutcome.AuthFailed, "The server refused the username or password."),
        916 or 229 or 230 or 262 or 300 => ProbeResult.Failed(ProbeOutcome.PermissionDenied, "The user may not read the database's catalog."),
        // Azure SQL: this client's address is outside the server's firewall or virtual network rules.
        40615 or 40914 => ProbeResult.Failed(ProbeOutcome.PermissionDenied, "The server's firewall does not admit Sources' address."),
        -2 => TransportFailures.TimedOut(host),
        // 40613 database unavailable, 40197/40501 service busy, 10928/10929 resource limits.
        40613 or 40197 or 40501 or 10928 or 10929 => ProbeResult.Failed(ProbeOutcome.Unreachable, "The server is unavailable or too busy; try again later."),
        // Transport errors SqlClient numbers itself: network path, instance lookup, refused, reset.
        2 or 26 or 35 or 40 or 53 or 121 or 10053 or 10054 or 10060 or 10061 or 11001 => ProbeResult.Failed(ProbeOutcome.Unreachable, $"'{host}' could not be reached."),
        _ => null,
    };
}
