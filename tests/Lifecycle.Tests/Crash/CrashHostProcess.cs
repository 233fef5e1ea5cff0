using System.Diagnostics;
using Sources.TestServers;

namespace Sources.Lifecycle.Tests.Crash;

/// <summary>A <see cref="CrashHost"/> child process: commands go to its stdin, its answer lines are collected as they come.</summary>
internal sealed class CrashHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly System.Text.StringBuilder _logs = new();

    private CrashHostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) return;
            lock (_lines)
            {
                if (line.StartsWith(CrashHost.Prefix, StringComparison.Ordinal))
                    _lines.Add(line[CrashHost.Prefix.Length..]);
                else
                    _logs.AppendLine(line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (_lines)
                _logs.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static async Task<CrashHostProcess> Start(string dataDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sources.Lifecycle.Tests.dll"));
        start.ArgumentList.Add("crash-host");
        start.ArgumentList.Add(dataDirectory);
        // A crash on purpose: no dump file.
        start.Environment["DOTNET_DbgEnableMiniDump"] = "0";
        var host = new CrashHostProcess(Process.Start(start)!);
        await host.Line(l => l == "ready", "the crash host started");
        return host;
    }

    public bool Exited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Logs
    {
        get { lock (_lines) return _logs.ToString(); }
    }

    public async Task Send(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Every answer line so far.</summary>
    public string[] Lines
    {
        get { lock (_lines) return [.. _lines]; }
    }

    /// <summary>The first answer line that matches, among those after the first <paramref name="after"/>.</summary>
    public Task<string> Line(Func<string, bool> match, string what, int after = 0) =>
        Poll.Until(() => Lines.Skip(after).FirstOrDefault(match) ?? (Exited ? throw new InvalidOperationException($"The crash host exited waiting for {what}:\n{Logs}") : null),
            TimeSpan.FromMilliseconds(50), Within, what);

    public async Task WaitForExit()
    {
        using var limit = new CancellationTokenSource(Within);
        await _process.WaitForExitAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
