using MySqlConnector;

namespace Sources.TestServers;

/// <summary>
/// A throw-away MariaDB server for the MySQL-protocol probers: <c>mariadb-install-db</c> into a
/// scratch folder, <c>mariadbd</c> on a free loopback port, ready once a real connection reaches
/// this server's own data directory; stopped and deleted on dispose. It comes with a login that
/// owns one database (with a table and a view) and may read every other, and a login with no
/// rights at all. (MariaDB tells a login without global rights 1044 "access denied" for a database
/// that does not exist, hiding which names exist; only a login that could read it hears 1049.)
/// </summary>
public sealed class MariaDbServer : DaemonServer
{
    public const string User = "prober";
    public const string Password = "prober-secret";
    public const string Database = "shop";
    public const string UserWithoutRights = "outsider";
    public const string UserWithoutRightsPassword = "outsider-secret";

    private const string InstallDb = "/usr/bin/mariadb-install-db";
    private const string Daemon = "/usr/sbin/mariadbd";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private int _port;
    private ServerTls? _tls;
    private (string Certificate, string Key)? _tlsFiles;

    /// <summary>The loopback TCP port the server listens on.</summary>
    public int Port => _port != 0 ? _port : throw new InvalidOperationException("The MariaDB server has not been started.");

    /// <summary>The server's root login (no password), for a test's own setup.</summary>
    public string RootConnectionString => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)Port,
        UserID = "root",
        Pooling = false,
        ConnectionTimeout = 5,
    }.ConnectionString;

    protected override string Product => "MariaDB";

    protected override string LogFile => Path.Combine(Root, "server.log");

    private string DataDirectory => Path.Combine(Root, "data");

    /// <summary>mariadbd refuses to run as root unless told which user to be.</summary>
    private static IEnumerable<string> AsUser => ProcessRunner.IsRoot ? ["--user=root"] : [];

    public static Task<MariaDbServer> StartAsync(CancellationToken cancellationToken = default) => StartAsync(new MariaDbServer(), cancellationToken);

    /// <summary>A server that speaks TLS with <paramref name="certificate"/> and refuses connections without it (require_secure_transport).</summary>
    public static Task<MariaDbServer> StartWithTlsOnlyAsync(ServerTls certificate, CancellationToken cancellationToken = default) =>
        StartAsync(new MariaDbServer { _tls = certificate }, cancellationToken);

    /// <summary>Runs SQL as root.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = new MySqlConnection(RootConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(InstallDb) || !File.Exists(Daemon))
        {
            throw new InvalidOperationException(
                "MariaDB was not found (mariadb-install-db, mariadbd). Run the tests through scripts/test.sh, which installs the Debian 'mariadb-server' package when it is missing.");
        }

        _tlsFiles = _tls?.WriteFiles(Root);
        await ProcessRunner.RunAsync(
            InstallDb,
            ["--no-defaults", $"--datadir={DataDirectory}", "--auth-root-authentication-method=normal", "--skip-test-db", .. AsUser],
            CommandTimeout,
            asServiceUser: false);
    }

    private protected override Task<DaemonProcess> LaunchAsync(CancellationToken cancellationToken)
    {
        _port = FreePort.Next();
        return Task.FromResult(DaemonProcess.Start(Daemon,
        [
            "--no-defaults", $"--datadir={DataDirectory}", $"--socket={Path.Combine(Root, "mysqld.sock")}",
            $"--port={_port}", "--bind-address=127.0.0.1", "--skip-name-resolve",
            $"--pid-file={Path.Combine(Root, "mysqld.pid")}", $"--log-error={LogFile}",
            "--innodb-buffer-pool-size=16M", .. AsUser, .. TlsArguments,
        ]));
    }

    private IEnumerable<string> TlsArguments => _tlsFiles is ({ } certificate, { } key)
        ? [$"--ssl-cert={certificate}", $"--ssl-key={key}", "--require-secure-transport=ON"]
        : [];

    /// <summary>A connection as root that reaches our own data directory: a server someone else runs on the port has another.</summary>
    protected override async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new MySqlConnection(RootConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new MySqlCommand("SELECT @@datadir", connection);
            var answering = (string?)await command.ExecuteScalarAsync(cancellationToken);
            return Path.GetFullPath(answering ?? "").TrimEnd('/') == Path.GetFullPath(DataDirectory).TrimEnd('/');
        }
        catch (MySqlException)
        {
            return false;
        }
    }

    protected override bool PortWasTaken(string log) =>
        log.Contains("Bind on TCP/IP port", StringComparison.Ordinal) || log.Contains("Address already in use", StringComparison.Ordinal);

    protected override Task SeedAsync(CancellationToken cancellationToken) => ExecuteAsync($"""
        CREATE DATABASE {Database};
        CREATE TABLE {Database}.orders (id INT PRIMARY KEY, total DECIMAL(10,2));
        CREATE VIEW {Database}.big_orders AS SELECT id FROM {Database}.orders WHERE total > 100;
        CREATE USER '{User}'@'%' IDENTIFIED BY '{Password}';
        GRANT ALL PRIVILEGES ON {Database}.* TO '{User}'@'%';
        GRANT SELECT, SHOW DATABASES ON *.* TO '{User}'@'%';
        CREATE USER '{UserWithoutRights}'@'%' IDENTIFIED BY '{UserWithoutRightsPassword}';
        """, cancellationToken);
}
