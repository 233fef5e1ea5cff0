using Npgsql;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.Postgres;

/// <summary>Classifies what Npgsql throws by SQLSTATE, and transport failures the way every driver does.</summary>
public static class PostgresFailures
{
    public static ProbeResult Classify(Exception exception, string host, string? database, bool signingIn = false) => exception switch
    {
        PostgresException pg => FromSqlState(pg.SqlState, database),
        // Npgsql's own refusals while signing in carry no cause: a sign-in method the probe does not
        // allow (RequireAuth), a password asked for that the source did not give, Kerberos/GSS.
        NotSupportedException when signingIn => RefusedSignIn,
        NpgsqlException { InnerException: null } when signingIn && exception.GetType() == typeof(NpgsqlException) => RefusedSignIn,
        _ when TransportFailures.Find(exception, host) is { } transport => transport,
        NpgsqlException { InnerException: IOException or EndOfStreamException } => TransportFailures.Closed(host, "PostgreSQL"),
        _ => ProbeResult.Failed(ProbeOutcome.Error, "The PostgreSQL server answered in a way Sources did not expect."),
    };

    private static readonly ProbeResult RefusedSignIn = ProbeResult.Failed(ProbeOutcome.AuthFailed,
        "The server asked for a sign-in Sources does not make: a password the source does not give, a cleartext or MD5 password "
        + "without sslmode=require (or verify-ca, verify-full), or Kerberos/GSS.");

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
}
