using System.Security;
using Xunit;

namespace Sources.TestServers;

/// <summary>
/// A throw-away ClickHouse server for the CLICKHOUSE prober: <c>clickhouse-server</c> with a
/// minimal configuration written into a scratch folder (free loopback HTTP and native ports,
/// every path inside the folder), ready once an authenticated query over HTTP answers; stopped
/// and deleted on dispose. Its users: one with a password and every right, and one that may use
/// no database but <c>system</c>.
/// </summary>
public sealed class ClickHouseServer : IAsyncLifetime, IAsyncDisposable
{
    public const string User = "prober";
    public const string Password = "prober-secret";
    public const string NarrowUser = "narrow";
    public const string NarrowPassword = "narrow-secret";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private const int PortAttempts = 3;

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private string? root;
    private DaemonProcess? daemon;
    private int httpPort;

    /// <summary>The loopback port of the HTTP interface.</summary>
    public int HttpPort => httpPort != 0 ? httpPort : throw new InvalidOperationException("The ClickHouse server has not been started.");

    public static async Task<ClickHouseServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new ClickHouseServer();
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

    /// <summary>Runs one statement over HTTP as <see cref="User"/>; throws with the server's answer when it fails.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        using var response = await PostAsync(sql, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"ClickHouse refused '{sql}': {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

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

        http.Dispose();
        httpPort = 0;
    }

    private string LogFile => Path.Combine(root!, "server.err.log");

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        var (program, prefix) = FindProgram();
        root = ScratchFolder.Create("sources-clickhouse-");
        await File.WriteAllTextAsync(Path.Combine(root, "users.xml"), UsersXml(), cancellationToken);

        for (var attempt = 1; ; attempt++)
        {
            httpPort = FreePort.Next();
            var config = Path.Combine(root, "config.xml");
            var tcpPort = FreePort.Next();
            while (tcpPort == httpPort)
            {
                tcpPort = FreePort.Next();
            }

            await File.WriteAllTextAsync(config, ConfigXml(httpPort, tcpPort), cancellationToken);
            daemon = DaemonProcess.Start(program, [.. prefix, $"--config-file={config}"]);

            if (await WaitUntilReadyAsync(cancellationToken))
            {
                return;
            }

            await daemon.DisposeAsync();
            if (attempt == PortAttempts)
            {
                throw new InvalidOperationException($"ClickHouse did not start on free ports after {PortAttempts} attempts:\n{ReadLog()}");
            }
        }
    }

    /// <summary>Debian 12 ships <c>clickhouse-server</c> (18.16); newer packages ship one <c>clickhouse</c> program with a <c>server</c> verb.</summary>
    private static (string Program, string[] Prefix) FindProgram()
    {
        foreach (var candidate in new[] { "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server" })
        {
            if (File.Exists(candidate))
            {
                return (candidate, []);
            }
        }

        if (File.Exists("/usr/bin/clickhouse"))
        {
            return ("/usr/bin/clickhouse", ["server", "--"]);
        }

        throw new InvalidOperationException(
            "clickhouse-server was not found. Run the tests through scripts/test.sh, which installs the Debian 'clickhouse-server' package when it is missing.");
    }

    /// <summary>Polls an authenticated query until it answers. Our users exist only on our server, so an
    /// answer proves it is ours; false when our server exited (a port was taken), so the caller retries.</summary>
    private async Task<bool> WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var response = await PostAsync("SELECT 1", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (daemon!.HasExited)
            {
                var log = ReadLog();
                if (log.Contains("Address already in use", StringComparison.Ordinal))
                {
                    return false;
                }

                throw new InvalidOperationException($"ClickHouse failed to start:\n{log}");
            }

            // Poll interval only; readiness itself is decided by the query above.
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }

        throw new InvalidOperationException($"ClickHouse did not answer within {ReadyTimeout.TotalSeconds:0} s:\n{ReadLog()}");
    }

    private async Task<HttpResponseMessage> PostAsync(string sql, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{HttpPort}/")
        {
            Content = new StringContent(sql),
        };
        request.Headers.Add("X-ClickHouse-User", User);
        request.Headers.Add("X-ClickHouse-Key", Password);
        return await http.SendAsync(request, cancellationToken);
    }

    private string ConfigXml(int http, int tcp) => $"""
        <?xml version="1.0"?>
        <yandex>
            <logger>
                <level>warning</level>
                <log>{Xml(Path.Combine(root!, "server.log"))}</log>
                <errorlog>{Xml(LogFile)}</errorlog>
            </logger>
            <listen_host>127.0.0.1</listen_host>
            <http_port>{http}</http_port>
            <tcp_port>{tcp}</tcp_port>
            <path>{Xml(root!)}/data/</path>
            <tmp_path>{Xml(root!)}/tmp/</tmp_path>
            <user_files_path>{Xml(root!)}/user_files/</user_files_path>
            <format_schema_path>{Xml(root!)}/format_schemas/</format_schema_path>
            <users_config>users.xml</users_config>
            <default_profile>default</default_profile>
            <default_database>default</default_database>
            <mark_cache_size>67108864</mark_cache_size>
        </yandex>
        """;

    private static string UsersXml() => $"""
        <?xml version="1.0"?>
        <yandex>
            <profiles><default></default></profiles>
            <quotas><default></default></quotas>
            <users>
                <{User}>
                    <password>{Password}</password>
                    <networks><ip>127.0.0.1</ip></networks>
                    <profile>default</profile>
                    <quota>default</quota>
                </{User}>
                <{NarrowUser}>
                    <password>{NarrowPassword}</password>
                    <networks><ip>127.0.0.1</ip></networks>
                    <profile>default</profile>
                    <quota>default</quota>
                    <allow_databases><database>system</database></allow_databases>
                </{NarrowUser}>
            </users>
        </yandex>
        """;

    private static string Xml(string text) => SecurityElement.Escape(text);

    private string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no server log)";
}
