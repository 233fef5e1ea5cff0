using Npgsql;

namespace Sources.TestServers;

/// <summary>
/// What lifecycle tests need beyond a running server: logins that really check passwords,
/// and stopping and starting the same server (same data, same port) mid-test.
/// </summary>
public sealed partial class PostgresServer
{
    private bool _passwordsChecked;

    /// <summary>
    /// Creates a role that must log in with <paramref name="password"/> over TCP (the fixture's
    /// own superuser keeps trust), optionally owning a new database of the same name.
    /// </summary>
    public async Task CreateLoginAsync(string user, string password, bool canLogin = true, CancellationToken cancellationToken = default)
    {
        await CheckPasswordsAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // Identifiers and literal from the test itself; quoted all the same.
        await using var command = new NpgsqlCommand(
            $"CREATE ROLE \"{user}\" {(canLogin ? "LOGIN" : "NOLOGIN")} PASSWORD '{password.Replace("'", "''")}'", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (canLogin)
            await UntilWrongPasswordIsRefusedAsync(user, password, cancellationToken);
    }

    /// <summary>A reload is a signal the server handles when it gets to it: poll until it does.</summary>
    private async Task UntilWrongPasswordIsRefusedAsync(string user, string password, CancellationToken cancellationToken)
    {
        var wrong = new NpgsqlConnectionStringBuilder(ConnectionString) { Username = user, Password = password + "-wrong", Pooling = false };
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(wrong.ConnectionString);
                await connection.OpenAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == "28P01")
            {
                return;
            }
            // Poll interval only; the refusal above decides.
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
        throw new InvalidOperationException("PostgreSQL kept accepting a wrong password after pg_hba.conf was reloaded.");
    }

    /// <summary>Runs SQL as the superuser in one database.</summary>
    public async Task ExecuteAsync(string database, string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor(database));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stops the server, keeping its data and port, as if it crashed.</summary>
    public async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ProcessRunner.RunAsync(Path.Combine(_binDirectory!, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-s", "-w"], CommandTimeout);
    }

    /// <summary>Starts the stopped server again on the same port and waits until it answers.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        // A fresh log: readiness reads it for start-up failures, and the old one holds the FATAL
        // lines of the wrong passwords tests sent on purpose.
        File.Delete(LogFile);
        await ProcessRunner.RunAsync(
            Path.Combine(_binDirectory!, "pg_ctl"),
            ["start", "-D", DataDirectory, "-l", LogFile, "-s", "-W", "-o", $"-p {_port}"],
            CommandTimeout,
            captureOutput: false);
        if (!await WaitUntilReadyAsync(cancellationToken))
            throw new InvalidOperationException($"PostgreSQL did not come back on port {_port}:\n{ReadLog()}");
    }

    /// <summary>TCP logins check passwords (SCRAM) for every role but the fixture's superuser.</summary>
    private async Task CheckPasswordsAsync(CancellationToken cancellationToken)
    {
        if (_passwordsChecked) return;
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"), $"""
            local all all trust
            host all {SuperUser} 127.0.0.1/32 trust
            host all all 127.0.0.1/32 scram-sha-256
            """, cancellationToken);
        await ProcessRunner.RunAsync(Path.Combine(_binDirectory!, "pg_ctl"), ["reload", "-D", DataDirectory, "-s"], CommandTimeout);
        _passwordsChecked = true;
    }
}
