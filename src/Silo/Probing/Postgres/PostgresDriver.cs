using Npgsql;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.Postgres;

/// <summary>
/// The Npgsql data source of one probe: built for it and disposed with it (a connection made from
/// a connection string would go through Npgsql's process-wide cache, one data source per distinct
/// string, never removed), holding nothing but what the source gave. Npgsql falls back to the
/// process's environment and files for whatever a connection string leaves unset (PGPASSWORD,
/// PGPASSFILE or ~/.pgpass, PGUSER, PGSSLROOTCERT or ~/.postgresql/root.crt, PGGSSENCMODE,
/// PGREQUIREAUTH, PGTZ...), so each is set here (all but PGOPTIONS, which Npgsql sends when the
/// connection names no options and which cannot be set to none); the slim builder leaves out Kerberos,
/// GSS and SSPI altogether. docs/probers.md lists what is closed and why.
/// </summary>
internal static class PostgresDriver
{
    /// <summary>Npgsql's largest connect timeout, in seconds.</summary>
    private const int MaxConnectTimeout = 1024;

    /// <summary>
    /// Sign-in methods when TLS is certain (sslmode require or stricter): every password method.
    /// Otherwise only SCRAM, which never puts the password or a replayable hash on the wire, and a
    /// server that asks for nothing. GSS and SSPI never: they would sign in as this machine.
    /// </summary>
    private const string AnyPassword = "Password,MD5,ScramSHA256,None";
    private const string ScramOnly = "ScramSHA256,None";

    /// <param name="check">The certificate check of verify-ca and verify-full (null for other modes); it is also told when TLS starts.</param>
    public static NpgsqlDataSource Build(NpgsqlConnectionStringBuilder source, string address, string host, TimeSpan budget, ServerCertificateCheck? check)
    {
        var requested = source.SslMode;
        var tlsCertain = requested is SslMode.Require or SslMode.VerifyCA or SslMode.VerifyFull;
        var builder = new NpgsqlSlimDataSourceBuilder();
        var options = builder.ConnectionStringBuilder;
        // What PostgresConnectionSettings admits and is not decided below, copied as typed values:
        // a round trip through the connection string would format and parse it once more per probe.
        options.Port = source.Port;
        options.Database = source.Database;
        options.Username = source.Username;
        options.KeepAlive = source.KeepAlive;
        options.TargetSessionAttributes = source.TargetSessionAttributes;
        options.Host = address;
        // Verification is done below against ssl_ca or the machine's trust store, never a root file
        // named by PGSSLROOTCERT or found in ~/.postgresql, so Npgsql itself is asked only for TLS.
        options.SslMode = requested is SslMode.VerifyCA or SslMode.VerifyFull ? SslMode.Require : requested;
        options.SslNegotiation = SslNegotiation.Postgres;
        options.GssEncryptionMode = GssEncryptionMode.Disable;
        options.RequireAuth = tlsCertain ? AnyPassword : ScramOnly;
        // The password comes from a provider that always answers, with an empty password when the
        // source has none: Npgsql reads PGPASSWORD and the passfile only when it has no answer
        // (an empty Password keyword is dropped on the way through the connection string).
        var password = source.Password ?? "";
        options.Password = null;
        options.Passfile = null;
        options.Timezone = "UTC";
        options.ClientEncoding = "UTF8";
        options.ApplicationName = source.ApplicationName ?? "sources-probe";
        options.Pooling = false;
        options.Timeout = Math.Min(MaxConnectTimeout, DriverTimeouts.Seconds(budget));
        options.CommandTimeout = DriverTimeouts.Seconds(budget);
        // A timed-out command is not waited on for the server's cancellation answer.
        options.CancellationTimeout = -1;

        builder.UsePasswordProvider(_ => password, (_, _) => ValueTask.FromResult(password));
        builder.EnableTransportSecurity();
        // The probe reads only built-in types; loading the server's type catalog would be a round
        // trip per probe, now that no data source outlives its probe.
        builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        builder.UseSslClientAuthenticationOptionsCallback(tls =>
        {
            // Connect to the checked address, but present and verify the name the user gave.
            tls.TargetHost = host;
            OfflineChain.Apply(tls);
            // Npgsql loads PGSSLCERT/PGSSLKEY or ~/.postgresql/postgresql.{crt,key} when they exist;
            // this machine's client certificate is never presented to a source.
            tls.ClientCertificates = null;
            tls.ClientCertificateContext = null;
            tls.LocalCertificateSelectionCallback = null;
            // Npgsql asks for these options only once the server has agreed to TLS.
            check?.MarkStarted();
            if (requested is SslMode.VerifyFull or SslMode.VerifyCA)
                tls.RemoteCertificateValidationCallback = (check ?? throw new InvalidOperationException("verify-ca and verify-full need a certificate check.")).Callback;
        });
        return builder.Build();
    }
}
