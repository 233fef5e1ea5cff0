using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sources.TestServers;

namespace Sources.Probing.Tests.Support;

/// <summary>
/// The npm reference server @modelcontextprotocol/server-everything on a free loopback port, in
/// one transport (streamableHttp at /mcp, sse at /sse). scripts/test.sh installs it into
/// tests/mcp-server. It prints its banner even when its port is taken, so readiness is the
/// port accepting while our process is still alive.
/// </summary>
public sealed class McpEverythingServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private const int PortAttempts = 3;

    private readonly Process _process;

    private McpEverythingServer(Process process, int port, string path)
    {
        _process = process;
        Endpoint = $"http://127.0.0.1:{port}{path}";
        Port = port;
    }

    public string Endpoint { get; }
    public int Port { get; }

    public static async Task<McpEverythingServer> Start(string transport)
    {
        var script = System.IO.Path.Combine(RepositoryRoot.Path, "tests", "mcp-server", "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"{script} is missing: run scripts/test.sh (or npm ci in tests/mcp-server) first.");
        var path = transport == "sse" ? "/sse" : "/mcp";
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(transport);
            start.Environment["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var process = Process.Start(start)!;
            // Drain its output so a chatty server never blocks on a full pipe.
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (await Listening(process, port))
                return new McpEverythingServer(process, port, path);
            Stop(process);
            if (attempt == PortAttempts)
                throw new InvalidOperationException($"server-everything ({transport}) did not listen within {ReadyTimeout.TotalSeconds} s.");
        }
    }

    /// <summary>Polls with real connection attempts, each one waiting on the socket, until the port answers or the process dies.</summary>
    private static async Task<bool> Listening(Process process, int port)
    {
        using var timeout = new CancellationTokenSource(ReadyTimeout);
        while (!timeout.IsCancellationRequested && !process.HasExited)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return !process.HasExited;
            }
            catch (SocketException)
            {
                // Not listening yet: wait for the process to exit or a short beat, whichever first.
                try { await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMilliseconds(100)).Token); }
                catch (OperationCanceledException) { }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
        return false;
    }

    private static void Stop(Process process)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        catch (InvalidOperationException) { }
        process.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Stop(_process);
        return ValueTask.CompletedTask;
    }
}
