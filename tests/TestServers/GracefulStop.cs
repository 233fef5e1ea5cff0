using System.Diagnostics;
using System.Globalization;

namespace Sources.TestServers;

/// <summary>
/// Stops a child process the way its operator would: SIGTERM, which servers and the .NET host
/// handle with a clean shutdown, then the whole process tree killed if it has not exited in time.
/// </summary>
public static class GracefulStop
{
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], grace, asServiceUser: false);
        }
        catch (InvalidOperationException) when (process.HasExited)
        {
            // It exited between the check and the signal; there is nothing left to stop.
            return;
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
