using MySqlConnector;
using Xunit;

namespace Sources.TestServers;

/// <summary>
/// A throw-away MariaDB server for the MySQL-protocol probers: <c>mariadb-install-db</c> into a
/// scratch folder, <c>mariadbd</c> on a free loopback port, ready once a real connection reaches
/// this server's own data directory; stopped and deleted on dispose. It comes with a login that
/// owns one database (with a table and a view) and may read every other, and a login with no
/// rights at all. (MariaDB tells a login without global rights 1044 "access denied" for a database
/// that does not exist, hiding which names exist; only a login that could read it hears 1049.)
/// </summary>
public sealed class MariaDbServer : IAsyncLifetime, IAsyncDisposable
{
    public const string User = "prober";
    public const string Password = "prober-secret";
    public const string Database = "shop";
    public const string UserWithoutRights = "outsider";
    public const string UserWithoutRightsPassword = "outsider-secret";

    private const string InstallDb = "/usr/bin/mariadb-install-db";
    private const string Daemon = "/usr/sbin/mariadbd";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private const int PortAttempts = 3;

    private string? root;
    private DaemonProcess? daemon;
    private int port;

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port => port != 0 ? port : throw new InvalidOperationException("The MariaDB server has not been started.");

    /// <summary>The server's root login (no password), for a test's own setup.</summary>
    public string RootConnectionString => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)Port,
        UserID = "root",
        Pooling = false,
        ConnectionTimeout = 5,
    }.ConnectionString;

    public static async Task<MariaDbServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new MariaDbServer();
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

    /// <summary>Runs SQL as root.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new MySqlConnection(RootConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Shuts the server down and waits until its port is closed.</summary>
    public Task StopAsync() => daemon?.StopAsync() ?? Task.CompletedTask;

    async Task IAsyncLifetime.InitializeAsync() => await StartCoreAsync(CancellationToken.None);

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (daemon is not null)
        {
            await daemon.DisposeAsync();
            daemon = null;
        }

        if (root is not null)
        {
            Directory.Delete(root, recursive: true);
            root = null;
        }

        port = 0;
    }

    private string DataDirectory => Path.Combine(root!, "data");

    private string LogFile => Path.Combine(root!, "server.log");

    /// <summary>mariadbd refuses to run as root unless told which user to be.</summary>
    private static IEnumerable<string> AsUser => ProcessRunner.IsRoot ? ["--user=root"] : [];

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(InstallDb) || !File.Exists(Daemon))
        {
            throw new InvalidOperationException(
                "MariaDB was not found (mariadb-install-db, mariadbd). Run the tests through scripts/test.sh, which installs the Debian 'mariadb-server' package when it is missing.");
        }

        root = ScratchFolder.Create("sources-mariadb-");
        await ProcessRunner.RunAsync(
            InstallDb,
            ["--no-defaults", $"--datadir={DataDirectory}", "--auth-root-authentication-method=normal", "--skip-test-db", .. AsUser],
            CommandTimeout,
            asServiceUser: false);

        for (var attempt = 1; ; attempt++)
        {
            port = FreePort.Next();
            daemon = DaemonProcess.Start(Daemon,
            [
                "--no-defaults", $"--datadir={DataDirectory}", $"--socket={Path.Combine(root, "mysqld.sock")}",
                $"--port={port}", "--bind-address=127.0.0.1", "--skip-name-resolve",
                $"--pid-file={Path.Combine(root, "mysqld.pid")}", $"--log-error={LogFile}",
                "--innodb-buffer-pool-size=16M", .. AsUser,
            ]);

            if (await WaitUntilReadyAsync(cancellationToken))
            {
                await CreateLoginsAsync(cancellationToken);
                return;
            }

            await daemon.DisposeAsync();
            if (attempt == PortAttempts)
            {
                throw new InvalidOperationException($"MariaDB did not start on a free port after {PortAttempts} attempts:\n{ReadLog()}");
            }
        }
    }

    /// <summary>Polls real connections until our server answers. False when the port turned out to be
    /// taken (our server exited, or another server answered), so the caller retries elsewhere.</summary>
    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await using var connection = new MySqlConnection(RootConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new MySqlCommand("SELECT @@datadir", connection);
                var answering = (string?)await command.ExecuteScalarAsync(cancellationToken);
                return Path.GetFullPath(answering ?? "").TrimEnd('/') == Path.GetFullPath(DataDirectory).TrimEnd('/');
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline)
            {
                if (daemon!.HasExited)
                {
                    var log = ReadLog();
                    if (log.Contains("Bind on TCP/IP port", StringComparison.Ordinal) || log.Contains("Address already in use", StringComparison.Ordinal))
                    {
                        File.Delete(LogFile);
                        return false;
                    }

                    throw new InvalidOperationException($"MariaDB failed to start:\n{log}");
                }

                // Poll interval only; readiness itself is decided by the connection above.
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            }
        }
    }

    private Task CreateLoginsAsync(CancellationToken cancellationToken) => ExecuteAsync($"""
        CREATE DATABASE {Database};
        CREATE TABLE {Database}.orders (id INT PRIMARY KEY, total DECIMAL(10,2));
        CREATE VIEW {Database}.big_orders AS SELECT id FROM {Database}.orders WHERE total > 100;
        CREATE USER '{User}'@'%' IDENTIFIED BY '{Password}';
        GRANT ALL PRIVILEGES ON {Database}.* TO '{User}'@'%';
        GRANT SELECT, SHOW DATABASES ON *.* TO '{User}'@'%';
        CREATE USER '{UserWithoutRights}'@'%' IDENTIFIED BY '{UserWithoutRightsPassword}';
        """, cancellationToken);

    private string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no server log)";
}
