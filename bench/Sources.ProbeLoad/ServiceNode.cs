using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sources.Bench;
using Sources.TestServers;

namespace Sources.ProbeLoad;

/// <summary>
/// The real service as an operator runs it, <c>dotnet Sources.Api.dll --urls http://127.0.0.1:PORT</c>,
/// embedded mode, configured through the environment, from its own folder, with one API key per
/// account made by <c>keys create --account X</c> before its first start (embedded mode's rule).
/// Its output is copied unread to a file and shown only if it fails to start.
/// </summary>
internal sealed class ServiceNode : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _data;
    private readonly string _log;
    private readonly Task _copying;

    private ServiceNode(Process process, string data, Uri address, IReadOnlyDictionary<string, string> keys)
    {
        _process = process;
        _data = data;
        _log = Path.Combine(data, "service.log");
        BaseAddress = address;
        Keys = keys;
        _copying = CopyOutput();
    }

    public Uri BaseAddress { get; }
    public IReadOnlyDictionary<string, string> Keys { get; }

    public static async Task<ServiceNode> StartAsync(IReadOnlyDictionary<string, string> settings, params string[] accounts)
    {
        var data = Directory.CreateTempSubdirectory("sources-probeload-api-").FullName;
        var environment = new Dictionary<string, string>(settings)
        {
            ["Sources__Storage"] = "embedded",
            ["Sources__DataDirectory"] = Path.Combine(data, "data"),
        };
        var keys = new Dictionary<string, string>();
        foreach (var account in accounts)
        {
            using var cli = Launch(environment, ["keys", "create", "--account", account]);
            var stdout = cli.StandardOutput.ReadToEndAsync();
            var stderr = cli.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await cli.WaitForExitAsync(timeout.Token);
            var key = (await stdout).Trim();
            if (cli.ExitCode != 0 || !key.StartsWith("sk_", StringComparison.Ordinal))
                throw new InvalidOperationException($"keys create --account {account} exited with {cli.ExitCode}:\n{key}\n{await stderr}");
            keys[account] = key;
        }
        var address = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var node = new ServiceNode(Launch(environment, ["--urls", address.ToString().TrimEnd('/')]), data, address, keys);
        await node.WaitUntilReadyAsync();
        return node;
    }

    /// <summary>Fresh cluster ports for each process: the keys command starts a short-lived node of its own.</summary>
    private static Process Launch(Dictionary<string, string> environment, string[] arguments) =>
        ServiceProcess.Start(arguments, new Dictionary<string, string>(environment)
        {
            ["Sources__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Sources__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        });

    public HttpClient Client(string account, TimeSpan timeout)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseCookies = false }) { BaseAddress = BaseAddress, Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Keys[account]);
        return http;
    }

    /// <summary>Creates a POSTGRES source; answers its id.</summary>
    public static async Task<long> CreateAsync(HttpClient http, int port)
    {
        var body = new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = port,
            ["username"] = "u", ["password"] = "p-secret", ["database_name"] = "d",
        };
        using var response = await http.PostAsync("/api/v1/sources/", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 201) throw new InvalidOperationException($"create answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["id"]!.GetValue<long>();
    }

    /// <summary>
    /// <c>POST /{id}/test/</c>: how long it took, the outcome it answered (or the status when not
    /// 200), and the result's <c>checked_at</c> and <c>latency_ms</c>, which tell one probe's answer from another's.
    /// </summary>
    public static async Task<(double Ms, string Outcome, string? CheckedAt)> TestAsync(HttpClient http, long id)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsync($"/api/v1/sources/{id}/test/", null);
        var text = await response.Content.ReadAsStringAsync();
        var ms = clock.Elapsed.TotalMilliseconds;
        if ((int)response.StatusCode != 200)
            return (ms, $"HTTP {(int)response.StatusCode}", null);
        var result = JsonNode.Parse(text)!;
        return (ms, result["outcome"]?.GetValue<string>() ?? "?", $"{result["checked_at"]} {result["latency_ms"]}");
    }

    private async Task CopyOutput()
    {
        await using var file = new FileStream(_log, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        await Task.WhenAll(_process.StandardOutput.BaseStream.CopyToAsync(file), _process.StandardError.BaseStream.CopyToAsync(Stream.Null));
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (!_process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            try
            {
                using var response = await http.GetAsync("/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(200); // poll interval; /readyz decides
        }
        throw new InvalidOperationException($"The service was not ready (exited: {_process.HasExited}); its log: {_log}");
    }

    public async ValueTask DisposeAsync()
    {
        await GracefulStop.StopAsync(_process, TimeSpan.FromSeconds(30));
        await _copying;
        _process.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
