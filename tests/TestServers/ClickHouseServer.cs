using System.Security;

namespace Sources.TestServers;

/// <summary>
/// A throw-away ClickHouse server for the CLICKHOUSE prober: <c>clickhouse-server</c> with a
/// minimal configuration written into a scratch folder (free loopback HTTP and native ports,
/// every path inside the folder), ready once an authenticated query over HTTP answers; stopped
/// and deleted on dispose. Its users: one with a password and every right, and one that may use
/// no database but <c>system</c>.
/// </summary>
public sealed class ClickHouseServer : DaemonServer
{
    public const string User = "prober";
    public const string Password = "prober-secret";
    public const string NarrowUser = "narrow";
    public const string NarrowPassword = "narrow-secret";

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private int _httpPort;

    /// <summary>The loopback port of the HTTP interface.</summary>
    public int HttpPort => _httpPort != 0 ? _httpPort : throw new InvalidOperationException("The ClickHouse server has not been started.");

    protected override string Product => "ClickHouse";

    protected override string LogFile => Path.Combine(Root, "server.err.log");

    public static Task<ClickHouseServer> StartAsync(CancellationToken cancellationToken = default) => StartAsync(new ClickHouseServer(), cancellationToken);

    /// <summary>Runs one statement over HTTP as <see cref="User"/>; throws with the server's answer when it fails.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        using var response = await PostAsync(sql, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"ClickHouse refused '{sql}': {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _http.Dispose();
    }

    protected override Task PrepareAsync(CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(Root, "users.xml"), UsersXml(), cancellationToken);

    private protected override async Task<DaemonProcess> LaunchAsync(CancellationToken cancellationToken)
    {
        var (program, prefix) = FindProgram();
        _httpPort = FreePort.Next();
        var tcpPort = FreePort.Next();
        while (tcpPort == _httpPort)
        {
            tcpPort = FreePort.Next();
        }

        var config = Path.Combine(Root, "config.xml");
        await File.WriteAllTextAsync(config, ConfigXml(_httpPort, tcpPort), cancellationToken);
        return DaemonProcess.Start(program, [.. prefix, $"--config-file={config}"]);
    }

    /// <summary>An authenticated query: our users exist only on our server, so an answer proves it is ours.</summary>
    protected override async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await PostAsync("SELECT 1", cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    protected override bool PortWasTaken(string log) => log.Contains("Address already in use", StringComparison.Ordinal);

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

    private async Task<HttpResponseMessage> PostAsync(string sql, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{HttpPort}/")
        {
            Content = new StringContent(sql),
        };
        request.Headers.Add("X-ClickHouse-User", User);
        request.Headers.Add("X-ClickHouse-Key", Password);
        return await _http.SendAsync(request, cancellationToken);
    }

    private string ConfigXml(int http, int tcp) => $"""
        <?xml version="1.0"?>
        <yandex>
            <logger>
                <level>warning</level>
                <log>{Xml(Path.Combine(Root, "server.log"))}</log>
                <errorlog>{Xml(LogFile)}</errorlog>
            </logger>
            <listen_host>127.0.0.1</listen_host>
            <http_port>{http}</http_port>
            <tcp_port>{tcp}</tcp_port>
            <path>{Xml(Root)}/data/</path>
            <tmp_path>{Xml(Root)}/tmp/</tmp_path>
            <user_files_path>{Xml(Root)}/user_files/</user_files_path>
            <format_schema_path>{Xml(Root)}/format_schemas/</format_schema_path>
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
}
