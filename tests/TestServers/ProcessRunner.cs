using System.Diagnostics;

namespace Sources.TestServers;

/// <summary>
/// Runs a short-lived program to completion and fails loudly with its output. PostgreSQL refuses to
/// run as root, so when the test process is root the server's programs are wrapped in
/// <c>runuser -u postgres --</c>.
/// </summary>
internal static class ProcessRunner
{
    public const string ServiceUser = "postgres";

    public static bool IsRoot => Environment.UserName == "root";

    /// <param name="asServiceUser">Run as the <c>postgres</c> OS user when we are root.</param>
    /// <param name="captureOutput">False for <c>pg_ctl start</c>: the server it leaves behind would
    /// otherwise hold our pipes open and reading them would never finish.</param>
    public static async Task RunAsync(
        string program, IReadOnlyList<string> arguments, TimeSpan timeout, bool asServiceUser = true, bool captureOutput = true)
    {
        var wrap = asServiceUser && IsRoot;
        var start = new ProcessStartInfo
        {
            FileName = wrap ? "runuser" : program,
            RedirectStandardOutput = captureOutput,
            RedirectStandardError = captureOutput,
            UseShellExecute = false,
        };
        IEnumerable<string> prefix = wrap ? ["-u", ServiceUser, "--", program] : [];
        foreach (var argument in prefix.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        // A neutral locale keeps initdb from failing on machines without the caller's locale.
        start.Environment["LC_ALL"] = "C";
        start.Environment["LANG"] = "C";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = captureOutput ? process.StandardOutput.ReadToEndAsync() : Task.FromResult(string.Empty);
        var stderr = captureOutput ? process.StandardError.ReadToEndAsync() : Task.FromResult(string.Empty);

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds:0} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    /// <summary>Hands a folder to the service user, so a server started through runuser can write to it.</summary>
    public static Task GiveToServiceUserAsync(string path) =>
        IsRoot
            ? RunAsync("chown", ["-R", $"{ServiceUser}:", path], TimeSpan.FromSeconds(30), asServiceUser: false)
            : Task.CompletedTask;
}
