using Microsoft.Extensions.Options;

namespace Sources.Silo.Hosting;

/// <summary>
/// Runs a node and, when its settings are refused (while it is composed or when its host checks
/// them at start), writes one line per failure to standard error and ends the process with
/// <see cref="ExitCode"/>, without a stack trace: a bad setting is the operator's to fix, not a fault.
/// </summary>
public static class StartupRefusal
{
    /// <summary>EX_CONFIG of sysexits.h: the configuration is wrong.</summary>
    public const int ExitCode = 78;

    public static async Task<int> Run(Func<Task<int>> node, TextWriter error)
    {
        try
        {
            return await node();
        }
        catch (Exception refused) when (Failures(refused) is { Count: > 0 } failures)
        {
            foreach (var failure in failures)
                await error.WriteLineAsync($"Sources did not start: {failure}");
            await error.FlushAsync();
            return ExitCode;
        }
    }

    /// <summary>
    /// Checks every setting registered with ValidateOnStart now, before the host starts anything:
    /// the host checks them too, but only after some services have started and logged their fault.
    /// </summary>
    public static void Check(IServiceProvider services) => (services.GetService(typeof(IStartupValidator)) as IStartupValidator)?.Validate();

    /// <summary>Each settings failure <paramref name="exception"/> stands for; empty when it is anything else.</summary>
    public static IReadOnlyList<string> Failures(Exception exception) => exception switch
    {
        SettingsRefusedException settings => settings.Failures,
        OptionsValidationException options => [.. options.Failures],
        // The host checks every settings class at start and throws them all together.
        AggregateException all when all.Flatten().InnerExceptions.Select(Failures).ToList() is var each && each.All(f => f.Count > 0) => [.. each.SelectMany(f => f)],
        _ => [],
    };
}
