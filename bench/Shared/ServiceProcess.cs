using System.Diagnostics;

namespace Sources.Bench;

/// <summary>
/// The real service as an operator starts it: <c>dotnet Sources.Api.dll ARGS</c> from its own folder
/// (so its appsettings.json applies), configured through the environment alone: what the harness's
/// own environment holds for the service is dropped, so only the given settings apply.
/// </summary>
internal static class ServiceProcess
{
    /// <summary>The build beside the harness, or another one (e.g. an older commit's, for comparison) named by SOURCES_API_DLL.</summary>
    public static string ApiDll { get; } = Environment.GetEnvironmentVariable("SOURCES_API_DLL") is { Length: > 0 } other
        ? Path.GetFullPath(other)
        : Path.Combine(AppContext.BaseDirectory, "Sources.Api.dll");

    /// <summary>
    /// The settings that lift the per-key and per-account request limits and the source quota: a
    /// harness's load is a few keys asking as fast as they can, which is what those limits stop.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Unlimited { get; } = new[] { "Create", "UpdateConfig", "Test", "KeyPairs" }
        .SelectMany(operation => new[] { $"Sources__Limits__{operation}__PerAccount", $"Sources__Limits__{operation}__PerKey" })
        .Append("Sources__Limits__SourcesPerAccount")
        .ToDictionary(name => name, _ => "0");

    /// <summary>Starts it with both output streams redirected (the caller reads them).</summary>
    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ApiDll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("Sources__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k == "SOURCES_BOOTSTRAP_API_KEY").ToList())
            start.Environment.Remove(inherited);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
    }
}
