using System.Diagnostics;
using System.Net;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// The real service as a child process: <c>dotnet Sources.Api.dll --urls http://127.0.0.1:PORT</c>
/// with the node's configuration, ready once <c>/readyz</c> answers 200. Its output is captured
/// across restarts; it can stop gracefully (SIGTERM) or be killed outright (kill -9 of its tree).
/// Every start takes fresh loopback ports, so read <see cref="BaseAddress"/> after a restart.
/// </summary>
public sealed class ServiceProcess(ServiceConfig config, string name) : IServiceNode, IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private const int PortAttempts = 3;

    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(10) };
    private static readonly HttpClient Shared = new() { Timeout = TimeSpan.FromSeconds(100) };

    private readonly OutputCapture _output = new();
    private Process? _process;
    private int _starts;

    public ServiceConfig Config => config;
    public string Name => name;
    public Ports Ports { get; private set; } = Ports.Fresh();
    public Uri BaseAddress => new($"http://127.0.0.1:{Ports.Http}");
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>One client for every child process, over real loopback sockets.</summary>
    public HttpClient Http => Shared;

    public HttpClient NewHttpClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };

    /// <summary>All the service wrote to stdout and stderr, every run so far.</summary>
    public string Logs => _output.Text;

    /// <summary>The last <paramref name="lines"/> lines the service wrote, to put beside a failed assertion.</summary>
    public string LogTail(int lines)
    {
        var all = Logs.Split('\n');
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }

    public static async Task<ServiceProcess> StartAsync(ServiceConfig config, string name)
    {
        var service = new ServiceProcess(config, name);
        await service.StartAsync();
        return service;
    }

    /// <summary>Starts the service and returns once it is ready; retries elsewhere if a port was taken meanwhile.</summary>
    public async Task StartAsync()
    {
        if (IsRunning) throw new InvalidOperationException($"{name} is already running.");
        for (var attempt = 1; ; attempt++)
        {
            Ports = Ports.Fresh();
            _process = ApiDll.Start(config, Ports, ["--urls", BaseAddress.ToString().TrimEnd('/')]);
            _output.Attach(_process, $"{name} start {++_starts}");
            if (await WaitUntilReadyAsync(_process))
                return;
            await _process.WaitForExitAsync();
            var logs = Logs;
            if (attempt < PortAttempts && logs.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                continue;
            throw new InvalidOperationException($"{name} exited with {_process.ExitCode} before it was ready:\n{logs}");
        }
    }

    /// <summary>A graceful stop, as an operator's SIGTERM: in-flight work finishes and the silo leaves the cluster.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } running) return;
        using (var signal = Process.Start("kill", ["-TERM", running.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await signal.WaitForExitAsync();
        await ApiDll.WaitForExitOrKillAsync(running, StopTimeout,
            () => Task.FromResult($"{name} did not stop within {StopTimeout.TotalSeconds:0} s of SIGTERM:\n{Logs}"));
    }

    /// <summary>kill -9 of the whole process tree: nothing gets to flush or say goodbye.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } running) return;
        running.Kill(entireProcessTree: true);
        await running.WaitForExitAsync();
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private async Task<bool> WaitUntilReadyAsync(Process starting)
    {
        var readyz = new Uri(BaseAddress, "/readyz");
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (!starting.HasExited)
        {
            try
            {
                using var response = await Probe.GetAsync(readyz);
                if (response.StatusCode == HttpStatusCode.OK) return true;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // A slow answer while the silo starts; ask again.
            }

            if (DateTime.UtcNow > deadline)
            {
                starting.Kill(entireProcessTree: true);
                throw new TimeoutException($"{name} was not ready within {ReadyTimeout.TotalSeconds:0} s:\n{Logs}");
            }
            // Poll interval only; readiness itself is decided by /readyz.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        return false;
    }
}
