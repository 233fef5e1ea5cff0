using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Sources.Silo.Probing;

/// <summary>
/// Runs probes for every grain of this node: finds the type's prober, holds each probe to its
/// hard deadline whatever the driver does, bounds how many run at once, and scrubs any secret
/// value out of the message as a last line of defence.
/// </summary>
public sealed partial class ProbeRunner
{
    private readonly Dictionary<string, IProber> _probers;
    private readonly ProbeSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<ProbeRunner> _logger;
    private readonly SemaphoreSlim _slots;

    public ProbeRunner(IEnumerable<IProber> probers, ProbeSettings settings, TimeProvider time, ILogger<ProbeRunner> logger)
    {
        _probers = probers.ToDictionary(p => p.Type, StringComparer.Ordinal);
        _settings = settings;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
    }

    /// <summary>Problems the settings show before any probe; empty for a type with no prober yet.</summary>
    public IReadOnlyList<SettingsProblem> Check(string type, JsonObject settings) =>
        _probers.TryGetValue(type, out var prober) ? prober.Check(settings) : [];

    public async Task<ProbeResult> Run(string type, JsonObject settings, ProbeContext context, IReadOnlyCollection<string> secretValues, CancellationToken cancellation)
    {
        await _slots.WaitAsync(cancellation);
        var started = Stopwatch.GetTimestamp();
        var result = await RunHoldingSlot(type, settings, context, cancellation);
        return result with
        {
            Message = Scrub(result.Message, secretValues),
            LatencyMs = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
            CheckedAt = _time.GetUtcNow(),
        };
    }

    /// <summary>
    /// Runs one probe in a slot taken by the caller. The slot is given back when the driver's
    /// work really ends, not when the deadline answers for it, so the bound counts connections
    /// a driver is still closing after it was cancelled.
    /// </summary>
    private async Task<ProbeResult> RunHoldingSlot(string type, JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        if (!_probers.TryGetValue(type, out var prober))
        {
            _slots.Release();
            return ProbeResult.Failed(ProbeOutcome.Unsupported, $"Sources cannot check {type} connections yet.");
        }
        if (prober.Check(settings) is { Count: > 0 } problems)
        {
            _slots.Release();
            return ProbeResult.Failed(ProbeOutcome.InvalidConfig, problems[0].Message);
        }

        var limit = prober.DeadlineFor(settings, _settings.Deadline);
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(limit);
        var probe = Task.Run(() => prober.Probe(settings, context, deadline.Token), CancellationToken.None);
        _ = probe.ContinueWith(finished =>
        {
            _ = finished.Exception; // observed: a probe abandoned at its deadline may still fail
            deadline.Dispose();
            _slots.Release();
        }, TaskScheduler.Default);
        try
        {
            // WaitAsync ends at the deadline even if the driver ignores its cancellation token.
            return await probe.WaitAsync(limit, _time, cancellation);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && !cancellation.IsCancellationRequested))
        {
            return ProbeResult.Failed(ProbeOutcome.Timeout, $"The source did not answer within {limit.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The type name only: a driver's message may quote the connection string.
            Crashed(_logger, type, ex.GetType().Name);
            return ProbeResult.Failed(ProbeOutcome.Error, "The check failed unexpectedly.");
        }
    }

    private static string Scrub(string message, IReadOnlyCollection<string> secretValues)
    {
        foreach (var secret in secretValues)
            if (secret.Length >= 4)
                message = message.Replace(secret, "***", StringComparison.Ordinal);
        return message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Type} probe threw {Exception}")]
    private static partial void Crashed(ILogger logger, string type, string exception);
}
