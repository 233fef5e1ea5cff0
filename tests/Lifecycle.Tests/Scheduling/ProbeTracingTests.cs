using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Probing;
using Sources.Silo.Scheduling;

namespace Sources.Lifecycle.Tests.Scheduling;

/// <summary>
/// Each probe that runs is one span of the "Sources.Probing" activity source: named by its type,
/// tagged with its type, lane, outcome and source id, and nothing from its settings. The driver's
/// own spans (HttpClient, Npgsql) sit beneath it: it runs with the probe's span current.
/// </summary>
public sealed class ProbeTracingTests : IDisposable
{
    private const string Password = "trace-canary-Vq81x";
    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly ActivityListener _listener;
    private readonly FakeTimeProvider _time = new();

    public ProbeTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProbeTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task A_probe_is_one_span_with_its_type_lane_outcome_and_source_and_none_of_its_settings()
    {
        var prober = new CurrentSpanProber();
        var settings = new ProbeSettings { Deadline = TimeSpan.FromSeconds(10), Concurrency = 4 };
        var scheduler = new ProbeScheduler(new ProbeRunner([prober], settings, NullLogger<ProbeRunner>.Instance), settings, _time, NullLogger<ProbeScheduler>.Instance);
        var sourceId = Random.Shared.NextInt64(1, long.MaxValue);
        var request = new ProbeRequest("acme", sourceId, "TRACED",
            new JsonObject { ["hostname"] = "db.internal.example", ["password"] = Password }, [Password]);

        await scheduler.Schedule(request, ProbeLane.Interactive).Result;

        var span = Assert.Single(_ended, s => Equals(s.GetTagItem("sources.source.id"), sourceId));
        Assert.Equal("probe", span.OperationName);
        Assert.Equal("probe TRACED", span.DisplayName);
        Assert.Equal("TRACED", span.GetTagItem("sources.probe.type"));
        Assert.Equal("interactive", span.GetTagItem("sources.probe.lane"));
        Assert.Equal(ProbeOutcome.Ok, span.GetTagItem("sources.probe.outcome"));
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value is string text && (text.Contains(Password) || text.Contains("db.internal.example")));
        Assert.Equal(span.SpanId, prober.SeenParent);
    }

    /// <summary>Answers at once and remembers the span it ran in, as a driver's own span would find its parent.</summary>
    private sealed class CurrentSpanProber : IProber
    {
        public ActivitySpanId? SeenParent { get; private set; }

        public string Type => "TRACED";

        public IReadOnlyList<SettingsProblem> Check(JsonObject settings) => [];

        public TimeSpan DeadlineFor(JsonObject settings, TimeSpan configured) => configured;

        public TimeSpan LongestDeadline(TimeSpan configured) => configured;

        public Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
        {
            SeenParent = Activity.Current?.SpanId;
            return Task.FromResult(ProbeResult.Succeeded("1.0", "{}", []));
        }
    }
}
