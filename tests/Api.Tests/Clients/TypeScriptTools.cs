using System.Diagnostics;

namespace Sources.Api.Tests.Clients;

/// <summary>
/// openapi-typescript and tsc as installed by <c>npm ci</c> in tests/typescript-client (scripts/test.sh
/// does it), run through <c>npx --no-install</c> so a missing tool fails instead of being fetched.
/// </summary>
internal static class TypeScriptTools
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    public static string Folder { get; } = Find();

    /// <summary>Types for the spec at <paramref name="spec"/>, written to <paramref name="output"/>.
    /// Defaults do not make a field required: the spec's defaults are what the service assumes when
    /// a request leaves the field out, and openapi-typescript would otherwise demand them.</summary>
    public static Task<(int ExitCode, string Output)> Generate(string spec, string output) =>
        Npx("openapi-typescript", spec, "--output", output, "--default-non-nullable", "false");

    /// <summary><c>tsc --strict --noEmit</c> over the given files.</summary>
    public static Task<(int ExitCode, string Output)> Check(params string[] files) =>
        Npx(["tsc", "--strict", "--noEmit", "--target", "es2022", .. files]);

    private static async Task<(int ExitCode, string Output)> Npx(params string[] arguments)
    {
        var tool = Path.Combine(Folder, "node_modules", ".bin", arguments[0]);
        Assert.True(File.Exists(tool), $"{tool} is missing: run scripts/test.sh (or npm ci in tests/typescript-client) first.");
        var start = new ProcessStartInfo("npx") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments.Prepend("--no-install")) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"npx {string.Join(' ', arguments)} did not end within {Limit.TotalMinutes} minutes.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sources.sln")))
                return Path.Combine(dir.FullName, "tests", "typescript-client");
        throw new InvalidOperationException("Sources.sln was not found above " + AppContext.BaseDirectory);
    }
}
