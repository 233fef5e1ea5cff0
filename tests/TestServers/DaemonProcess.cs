using System.Diagnostics;

namespace Sources.TestServers;

/// <summary>
/// A server program that runs until stopped (mariadbd, clickhouse-server), unlike the short
/// commands <see cref="ProcessRunner"/> waits for. Its output goes to the log file the server is
/// told to write, not to pipes, so nothing has to keep reading them. Stopped with SIGTERM, the
/// clean shutdown every such server handles, and killed only if it does not exit in time.
/// </summary>
internal sealed class DaemonProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;

    private DaemonProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public static DaemonProcess Start(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo { FileName = program, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        start.Environment["LANG"] = "C";
        return new DaemonProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}."));
    }

    /// <summary>Asks the server to shut down and waits until it has exited, so its ports are closed.</summary>
    public Task StopAsync() => GracefulStop.StopAsync(_process, StopTimeout);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
