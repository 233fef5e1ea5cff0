using Npgsql;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.Postgres;

/// <summary>Classifies what Npgsql throws by SQLSTATE, and transport failures the way every driver does.</summary>
public static class PostgresFailures
{
    /// <param name="check">The probe's TLS check: it knows whether TLS started and what a refused certificate did not match.</param>
    public static ProbeResult Classify(Exception exception, string host, string? database, bool signingIn = false, ServerCertificateCheck? check = null) => exception switch
    {
        // A server that turns away a connection without TLS answers 28000 (no pg_hba.conf entry),
        // as it does for a user that does not exist.
        PostgresException { SqlState: "28000" } when check?.Tls.Mode == TlsMode.Disable => WithoutTlsRefused,
        PostgresException pg => FromSqlState(pg.SqlState, database),
        _ when check?.Mismatch is not null => check.Failed(),
        // Npgsql's refusal when the server answers "no" to TLS carries no cause, and the options
        // callback (which marks the start of TLS) never ran.
        NpgsqlException { InnerException: null } when signingIn && check is { Started: false, Tls.Mode: not TlsMode.Disable } && exception.GetType() == typeof(NpgsqlException)
            => ServerCertificateCheck.NotOffered(host, check.Tls.Mode),
        // Npgsql's own refusals while signing in carry no cause: a sign-in method the probe does not
        // allow (RequireAuth), a password asked for that the source did not give, Kerberos/GSS.
        NotSupportedException when signingIn => RefusedSignIn,
        NpgsqlException { InnerException: null } when signingIn && exception.GetType() == typeof(NpgsqlException) => RefusedSignIn,
        _ when TransportFailures.Find(exception, host) is { } transport => transport,
        NpgsqlException { InnerException: IOException or EndOfStreamException } => TransportFailures.Closed(host, "PostgreSQL"),
        _ => ProbeResult.Failed(ProbeOutcome.Error, "The PostgreSQL server answered in a way Sources did not expect."),
    };

    private static readonly ProbeResult WithoutTlsRefused = ProbeResult.Failed(ProbeOutcome.AuthFailed,
        "The server refused this sign-in without TLS (SQLSTATE 28000): it may take this user only over TLS (ssl_mode is disable), or the user does not exist.");

    private static readonly ProbeResult RefusedSignIn = ProbeResult.Failed(ProbeOutcome.AuthFailed,
        "The server asked for a sign-in Sources does not make: a password the source does not give, a cleartext or MD5 password "
        + "without TLS (ssl_mode require, verify-ca or verify-full; sslmode=require in a connection string), or Kerberos/GSS.");

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
