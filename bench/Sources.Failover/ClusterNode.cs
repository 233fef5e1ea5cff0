using System.Diagnostics;
using System.Globalization;
using Sources.Bench;
using Sources.TestServers;

namespace Sources.Failover;

/// <summary>
/// One node of the cluster: the real service as a child process in postgres mode, on fresh loopback
/// ports, with its own certificate from the cluster's CA. Its output is drained and dropped (the
/// harness reads only its answers); it can be killed outright and started again.
/// </summary>
internal sealed class ClusterNode(string name, IReadOnlyDictionary<string, string> settings) : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private static readonly HttpClient Ready = new() { Timeout = TimeSpan.FromSeconds(5) };
    private Process? _process;

    public string Name => name;
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1:1");

    public static IReadOnlyDictionary<string, string> Settings(TestCertificates authority, string folder, string connectionString,
        string masterKey, string apiKey, string name, IReadOnlyDictionary<string, string> failover)
    {
        using var certificate = authority.Issue(name);
        var (certificatePath, keyPath) = TestCertificates.WritePem(certificate, folder, name.Replace(' ', '-'));
        var settings = new Dictionary<string, string>(ServiceProcess.Unlimited)
        {
            ["Sources__Storage"] = "postgres",
            ["Sources__ConnectionString"] = connectionString,
            ["Sources__MasterKey"] = masterKey,
            ["SOURCES_BOOTSTRAP_API_KEY"] = apiKey,
            ["Sources__Cluster__Certificate"] = certificatePath,
            ["Sources__Cluster__CertificateKey"] = keyPath,
            ["Sources__Cluster__CertificateAuthority"] = Path.Combine(folder, "cluster-ca.pem"),
            // The first probe of each source runs at create; no re-check comes during the run.
            ["Sources__Probe__Interval"] = "1.00:00:00",
        };
        foreach (var (key, value) in failover) settings[key] = value;
        return settings;
    }

    public async Task StartAsync()
    {
        var environment = new Dictionary<string, string>(settings)
        {
            ["Sources__DataDirectory"] = Directory.CreateTempSubdirectory("sources-failover-").FullName,
            ["Sources__SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Sources__GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
        };
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        _process = ServiceProcess.Start(["--urls", BaseAddress.ToString().TrimEnd('/')], environment);
        _ = _process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _ = _process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        var deadline = Stopwatch.StartNew();
        while (!_process.HasExited && deadline.Elapsed < ReadyTimeout)
        {
            try
            {
                using var response = await Ready.GetAsync(new Uri(BaseAddress, "/readyz"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            // Poll interval only; /readyz decides.
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"{name} was not ready within {ReadyTimeout.TotalSeconds:0} s.");
    }

    /// <summary>SIGKILL: nothing gets to leave the cluster or close a connection politely.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
            running.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
