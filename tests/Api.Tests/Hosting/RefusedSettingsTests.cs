using Sources.Api.Tests.Infrastructure;
using Sources.Silo.Hosting;

namespace Sources.Api.Tests.Hosting;

/// <summary>
/// The real service binary, started with a setting its rules refuse, in each role: it exits with
/// the configuration exit code and says on stderr, one line per failure, which key to fix and what
/// it was given, with no stack trace.
/// </summary>
public sealed class RefusedSettingsTests
{
    private static async Task<(int ExitCode, string Stdout, string Stderr)> Start(Dictionary<string, string> settings, params string[] arguments)
    {
        var config = ServiceConfig.Embedded(bootstrapKey: null) with { Settings = settings };
        try
        {
            return await KeysCli.CommandAsync(config, ["--urls", "http://127.0.0.1:0", .. arguments]);
        }
        finally
        {
            Directory.Delete(config.WorkingDirectory, recursive: true);
        }
    }

    private static void AssertRefused((int ExitCode, string Stdout, string Stderr) run, params string[] lines)
    {
        Assert.True(run.ExitCode == StartupRefusal.ExitCode, $"exit code {run.ExitCode}:\n{run.Stdout}\n{run.Stderr}");
        var printed = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(lines.Select(line => $"Sources did not start: {line}"), printed);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_setting_stops_the_API_node_naming_each_key()
    {
        AssertRefused(await Start(new() { ["Sources__Files__MaxFileBytes"] = "-1", ["Sources__Probe__AuthFailures__Window"] = "00:00:00" }),
            "Sources:Files:MaxFileBytes is '-1'; it must be 1 or more.",
            "Sources:Probe:AuthFailures:Window is '00:00:00'; it must be more than zero.");
    }

    [Fact]
    public async Task A_value_that_is_not_of_its_type_stops_the_node_naming_its_key()
    {
        var run = await Start(new() { ["Sources__Probe__Deadline"] = "soon" });
        AssertRefused(run, "Failed to convert configuration value 'soon' at 'Sources:Probe:Deadline' to type 'System.TimeSpan'.");
    }

    [Fact]
    public async Task A_refused_setting_stops_a_headless_silo()
    {
        AssertRefused(await Start(new() { ["Sources__Role"] = "silo", ["Sources__DuckDb__Threads"] = "0" }),
            "Sources:DuckDb:Threads is '0'; it must be 1 or more.");
    }

    [Fact]
    public async Task A_refused_setting_of_the_node_itself_stops_a_client_before_it_joins()
    {
        // Role client needs postgres storage; the rule refuses it before anything is composed.
        AssertRefused(await Start(new() { ["Sources__Role"] = "client" }),
            "Sources:Role=client joins an external cluster, which needs Sources:Storage=postgres.");
    }
}
