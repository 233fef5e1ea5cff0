using System.Diagnostics;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>Starts the real service binary, which the project reference copies beside the tests.</summary>
internal static class ApiDll
{
    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "Sources.Api.dll");

    /// <summary><c>dotnet Sources.Api.dll ARGS</c> with the configuration's environment, output redirected.</summary>
    public static Process Start(ServiceConfig config, Ports ports, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = config.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(FilePath);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        // Nothing from the test host's own hosting setup may leak into the service.
        var inherited = start.Environment.Keys
            .Where(name => name.StartsWith("Sources__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                || name.StartsWith("OTEL_", StringComparison.Ordinal)
                || name is "DOTNET_ENVIRONMENT" or "SOURCES_BOOTSTRAP_API_KEY" or "ConnectionStrings__Sources")
            .ToList();
        foreach (var name in inherited)
            start.Environment.Remove(name);
        foreach (var (name, value) in config.Environment(ports))
            start.Environment[name] = value;
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
    }

    /// <summary>Waits for the process to end; past the timeout it is killed, whole tree, and the wait
    /// fails with what <paramref name="describe"/> says.</summary>
    public static async Task WaitForExitOrKillAsync(Process process, TimeSpan timeout, Func<Task<string>> describe)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(await describe());
        }
    }
}
