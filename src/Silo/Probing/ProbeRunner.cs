using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Sources.Silo.Probing;

/// <summary>
/// Runs one probe with its type's prober, as the scheduler asks: refuses settings the prober
/// finds wrong before contacting anything, turns a cancelled or crashed driver into a result,
/// and scrubs any secret value out of the message as a last line of defence. When a probe runs
/// and how long it may take is the scheduler's (<see cref="Scheduling.ProbeScheduler"/>).
/// </summary>
public sealed partial class ProbeRunner
{
    private readonly Dictionary<string, IProber> _probers;
    private readonly ProbeSettings _settings;
    private readonly ILogger<ProbeRunner> _logger;

    public ProbeRunner(IEnumerable<IProber> probers, ProbeSettings settings, ILogger<ProbeRunner> logger)
    {
        _probers = probers.ToDictionary(p => p.Type, StringComparer.Ordinal);
        _settings = settings;
        _logger = logger;
        LongestDeadline = _probers.Values.Select(p => p.LongestDeadline(settings.Deadline)).DefaultIfEmpty(settings.Deadline).Max();
    }

    /// <summary>The longest any probe of any type may take.</summary>
    public TimeSpan LongestDeadline { get; }

    /// <summary>Problems the settings show before any probe; empty for a type with no prober yet.</summary>
    public IReadOnlyList<SettingsProblem> Check(string type, JsonObject settings) =>
        _probers.TryGetValue(type, out var prober) ? prober.Check(settings) : [];

    /// <summary><see cref="IProber.CheckAsync"/> of the type's prober; empty for a type with no prober yet.</summary>
    public Task<IReadOnlyList<SettingsProblem>> CheckAsync(string type, JsonObject settings, Scheduling.BlockingWork blocking, CancellationToken cancellation) =>
        _probers.TryGetValue(type, out var prober) ? prober.CheckAsync(settings, blocking, cancellation) : Task.FromResult<IReadOnlyList<SettingsProblem>>([]);

    /// <summary>How long a probe of these settings may take.</summary>
    public TimeSpan DeadlineFor(string type, JsonObject settings) =>
        _probers.TryGetValue(type, out var prober) ? prober.DeadlineFor(settings, _settings.Deadline) : _settings.Deadline;

    /// <summary>
    /// Probes, ending when the driver's work really ends: a driver that ignores its token may
    /// outlive the cancellation, which is why the scheduler races this task against the deadline.
    /// </summary>
    public async Task<ProbeResult> Probe(string type, JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        if (!_probers.TryGetValue(type, out var prober))
            return ProbeResult.Failed(ProbeOutcome.Unsupported, $"Sources cannot check {type} connections yet.");
        try
        {
            // Off the caller's thread (a grain's turn): a check or a prober may do blocking work before its first await.
            return await Task.Run(() => prober.Check(settings) is { Count: > 0 } problems
                ? Task.FromResult(ProbeResult.Failed(ProbeOutcome.InvalidConfig, problems[0].Message))
                : prober.Probe(settings, context, cancellation), CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            return TimedOut(context.Budget);
        }
        catch (Exception ex) when (Http.AnswerTooLargeException.In(ex))
        {
            return Http.AnswerTooLargeException.Result();
        }
        catch (Exception ex)
        {
            // The type name only: a driver's message may quote the connection string.
            Crashed(_logger, type, ex.GetType().Name);
            return ProbeResult.Failed(ProbeOutcome.Error, "The check failed unexpectedly.");
        }
    }

    public static ProbeResult TimedOut(TimeSpan budget) =>
        ProbeResult.Failed(ProbeOutcome.Timeout, $"The source did not answer within {budget.TotalSeconds:0.#} s.");

    public static string Scrub(string message, IReadOnlyCollection<string> secretValues)
    {
        foreach (var secret in secretValues)
            if (secret.Length >= 4)
                message = message.Replace(secret, "***", StringComparison.Ordinal);
        return message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Type} probe threw {Exception}")]
    private static partial void Crashed(ILogger logger, string type, string exception);
}
