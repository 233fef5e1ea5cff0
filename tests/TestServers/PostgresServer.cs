using System.Text.RegularExpressions;
using Npgsql;
using Xunit;

namespace Sources.TestServers;

/// <summary>
/// A throw-away PostgreSQL server for integration tests: <c>initdb</c> into a temp folder, <c>pg_ctl start</c>
/// on a free loopback port, ready once a real connection succeeds; stopped and deleted on dispose.
/// Use it as an xunit class or collection fixture, or call <see cref="StartAsync"/> directly.
/// </summary>
public sealed partial class PostgresServer : IAsyncLifetime, IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private const int PortAttempts = 3;

    private string? _root;
    private string? _binDirectory;
    private int _port;
    private ServerTls? _tls;

    /// <summary>Superuser connection string to the <c>postgres</c> maintenance database.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port => _port != 0 ? _port : throw new InvalidOperationException("The PostgreSQL server has not been started.");

    /// <summary>Starts a new server; dispose it to stop it and delete its files.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new PostgresServer();
        try
        {
            await server.StartCoreAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The login of a TLS-only server that it takes over TLS alone (trusted, no password).</summary>
    public const string TlsOnlyUser = "tls_prober";

    /// <summary>
    /// Starts a new server that speaks TLS with <paramref name="certificate"/> and takes TCP
    /// connections of <see cref="TlsOnlyUser"/> only over TLS (pg_hba.conf: hostnossl reject,
    /// hostssl trust); the fixture's own superuser connects either way, for setup.
    /// </summary>
    public static async Task<PostgresServer> StartWithTlsOnlyAsync(ServerTls certificate, CancellationToken cancellationToken = default)
    {
        var server = new PostgresServer { _tls = certificate };
        try
        {
            await server.StartCoreAsync(cancellationToken);
            await server.ExecuteAsync("postgres", $"CREATE ROLE {TlsOnlyUser} LOGIN", cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    /// <param name="name">Lower-case letters, digits and underscores; a unique name when omitted.</param>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        name ??= "db_" + Guid.NewGuid().ToString("N");
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException("Database names are lower-case letters, digits and underscores.", nameof(name));
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionStringFor(name);
    }

    /// <summary>Connection string for a database on this server, as the superuser.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        Timeout = 15,
        IncludeErrorDetail = true,
    }.ConnectionString;

    async Task IAsyncLifetime.InitializeAsync() => await StartCoreAsync(CancellationToken.None);

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_root is null)
        {
            return;
        }

        if (_port != 0 && _binDirectory is not null)
        {
            NpgsqlConnection.ClearAllPools();
            try
            {
                await ProcessRunner.RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-s", "-w"], CommandTimeout);
            }
            catch (InvalidOperationException)
            {
                // Already stopped (or never came up); the folder is removed either way.
            }
        }

        Directory.Delete(_root, recursive: true);
        _root = null;
        _port = 0;
    }

    private string DataDirectory => Path.Combine(_root!, "data");

    private string LogFile => Path.Combine(_root!, "server.log");

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        _binDirectory = PostgresBinaries.FindBinDirectory();
        _root = Directory.CreateTempSubdirectory("sources-pg-").FullName;
        var tlsFiles = _tls?.WriteFiles(_root);
        await ProcessRunner.GiveToServiceUserAsync(_root);
        await ProcessRunner.RunAsync(
            Path.Combine(_binDirectory, "initdb"),
            ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"],
            CommandTimeout);
        if (tlsFiles is ({ } certificateFile, { } keyFile))
        {
            await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), $"""

                ssl = on
                ssl_cert_file = '{certificateFile}'
                ssl_key_file = '{keyFile}'
                """, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"), $"""
                local all all trust
                host all {SuperUser} 127.0.0.1/32 trust
                hostnossl all all 127.0.0.1/32 reject
                hostssl all all 127.0.0.1/32 trust
                """, cancellationToken);
        }

        // Loopback only, sockets in our own folder (not the system's /var/run/postgresql), and no
        // durability work: the data dies with the test run anyway.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            unix_socket_directories = '{_root}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 200
            """, cancellationToken);

        for (var attempt = 1; ; attempt++)
        {
            _port = FreePort.Next();
            await ProcessRunner.RunAsync(
                Path.Combine(_binDirectory, "pg_ctl"),
                ["start", "-D", DataDirectory, "-l", LogFile, "-s", "-W", "-o", $"-p {_port}"],
                CommandTimeout,
                captureOutput: false);

            if (await WaitUntilReadyAsync(cancellationToken))
            {
                return;
            }

            if (attempt == PortAttempts)
            {
                throw new InvalidOperationException($"PostgreSQL did not start on a free port after {PortAttempts} attempts:\n{ReadLog()}");
            }
        }
    }

    /// <summary>Polls real connections until our server answers. False when the port turned out to be
    /// taken (our server exited, or someone else's server answered), so the caller retries elsewhere.</summary>
    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false;Timeout=2");
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SHOW data_directory", connection);
                var answeringDirectory = (string?)await command.ExecuteScalarAsync(cancellationToken);
                return Path.GetFullPath(answeringDirectory ?? "") == Path.GetFullPath(DataDirectory);
            }
            catch (NpgsqlException e)
            {
                var log = ReadLog();
                if (DateTime.UtcNow >= deadline)
                {
                    throw new InvalidOperationException($"PostgreSQL did not accept connections within {ReadyTimeout.TotalSeconds:0} s:\n{log}", e);
                }

                if (log.Contains("could not bind", StringComparison.Ordinal) || log.Contains("could not create any TCP/IP sockets", StringComparison.Ordinal))
                {
                    File.Delete(LogFile);
                    return false;
                }

                if (ServerFailed(log))
                {
                    throw new InvalidOperationException($"PostgreSQL failed to start:\n{log}");
                }

                // Poll interval only; readiness itself is decided by the connection above.
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }

    /// <summary>
    /// A FATAL line of the server's own, not one written for a client it turned away while it
    /// starts or recovers from a crash (our services reconnect during both).
    /// </summary>
    private static bool ServerFailed(string log) => log.Split('\n').Any(line =>
        line.Contains("FATAL", StringComparison.Ordinal)
        && !line.Contains("the database system is starting up", StringComparison.Ordinal)
        && !line.Contains("the database system is not yet accepting connections", StringComparison.Ordinal)
        && !line.Contains("the database system is in recovery mode", StringComparison.Ordinal));

    private string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no server log)";

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
