using System.Text.Json.Nodes;
using System.Threading.Channels;
using Sources.Silo.Probing;

namespace Sources.Lifecycle.Tests.Scheduling;

/// <summary>
/// A prober whose probes end when the test says: each start is announced (with the context the
/// scheduler gave it) and waits for an answer. One that ignores cancellation stands for a driver
/// that does not stop when told.
/// </summary>
public sealed class GatedProber(string type = "GATED", TimeSpan? deadline = null, bool ignoresCancellation = false) : IProber
{
    private readonly Channel<Call> _starts = Channel.CreateUnbounded<Call>();

    public sealed record Call(string Name, ProbeContext Context, CancellationToken Token, TaskCompletionSource<ProbeResult> Answer)
    {
        public void Succeed() => Answer.TrySetResult(ProbeResult.Succeeded("1.0", "{}", []));
    }

    public string Type => type;

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings) => [];

    public TimeSpan DeadlineFor(JsonObject settings, TimeSpan configured) => deadline ?? configured;

    public TimeSpan LongestDeadline(TimeSpan configured) => deadline ?? configured;

    public Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var answer = new TaskCompletionSource<ProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!ignoresCancellation)
            cancellation.Register(() => answer.TrySetCanceled(cancellation));
        _starts.Writer.TryWrite(new Call(settings["name"]!.GetValue<string>(), context, cancellation, answer));
        return answer.Task;
    }

    /// <summary>The next probe to start, waiting for it at most a few seconds.</summary>
    public async Task<Call> NextStart() => await _starts.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Whether a probe has started that the test has not taken yet.</summary>
    public bool HasStarted(out Call? call) => _starts.Reader.TryRead(out call);

    public static JsonObject Named(string name) => new() { ["name"] = name };
}
