namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// <c>dotnet Sources.Api.dll keys ...</c> on a node's configuration. In postgres mode it joins the
/// running cluster on ports of its own; in embedded mode the node must be stopped first.
/// </summary>
public static class KeysCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>A new key for the account, as printed.</summary>
    public static async Task<string> CreateAsync(ServiceConfig config, string account)
    {
        // Standard output is the key and nothing else, so scripts can capture it.
        var printed = await RunAsync(config, "create", "--account", account);
        var key = Assert.Single(printed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("sk_", key, StringComparison.Ordinal);
        return key;
    }

    /// <summary>Revokes one key by its id (the part between <c>sk_</c> and the secret).</summary>
    public static async Task RevokeAsync(ServiceConfig config, string key)
    {
        var keyId = key.Split('_')[1];
        var printed = await RunAsync(config, "revoke", "--key", keyId);
        Assert.Contains($"revoked {keyId}", printed, StringComparison.Ordinal);
    }

    /// <summary>Runs one keys command to its end; its stdout, or a failure with all it printed.</summary>
    public static async Task<string> RunAsync(ServiceConfig config, params string[] arguments)
    {
        var (exitCode, stdout, stderr) = await RunToEndAsync(config, arguments);
        Assert.True(exitCode == 0, $"keys {string.Join(' ', arguments)} exited with {exitCode}:\n{stdout}\n{stderr}");
        return stdout;
    }

    /// <summary>Runs one keys command to its end, whatever its exit code; what it printed.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunToEndAsync(ServiceConfig config, params string[] arguments) =>
        CommandAsync(config, ["keys", .. arguments]);

    /// <summary>Runs any command of the service binary to its end (killed past the timeout), whatever its exit code; what it printed.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> CommandAsync(ServiceConfig config, params string[] arguments)
    {
        using var process = ApiDll.Start(config, Ports.Fresh(), arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await ApiDll.WaitForExitOrKillAsync(process, Timeout,
            async () => $"{string.Join(' ', arguments)} did not finish:\n{await stdout}\n{await stderr}");
        return (process.ExitCode, await stdout, await stderr);
    }
}
