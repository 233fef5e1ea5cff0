using System.Diagnostics;

namespace Sources.Silo.Scheduling;

/// <summary>
/// The "Sources.Probing" activity source: one span per probe that runs, from its start to its
/// answer, with the driver's own spans (HttpClient, Npgsql) beneath it. Its tags are the probe's
/// type, lane and outcome and the source's id, never anything from the source's settings (hosts,
/// user names, passwords, tokens): a trace goes to whoever runs the collector. Without a listener
/// no span is made.
/// </summary>
public static class ProbeTracing
{
    public const string SourceName = "Sources.Probing";

    private static readonly ActivitySource Source = new(SourceName);

    internal static Activity? Start(ProbeRequest request, ProbeLane lane)
    {
        if (!Source.HasListeners())
            return null;
        var span = Source.StartActivity("probe", ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.DisplayName = $"probe {request.Type}";
            span.SetTag("sources.probe.type", request.Type);
            span.SetTag("sources.probe.lane", ProbeMetrics.LaneName(lane));
            span.SetTag("sources.source.id", request.SourceId);
        }
        return span;
    }

    internal static void Ended(Activity? span, string outcome)
    {
        if (span is null)
            return;
        span.SetTag("sources.probe.outcome", outcome);
        span.Stop();
    }
}
