using System.Text.Json.Nodes;
using Sources.Silo.Probing;

namespace Sources.Silo.Scheduling;

/// <summary>
/// One probe to schedule: whose it is (shares are per account), what to probe (the whole
/// request, secrets included, which never leaves this node), the secret values to scrub from
/// its message, and where its progress goes.
/// </summary>
public sealed record ProbeRequest(
    string Account,
    long SourceId,
    string Type,
    JsonObject Settings,
    IReadOnlyCollection<string> SecretValues,
    IProgress<ProbeProgress>? Progress = null);

/// <summary>
/// What became of a scheduled probe. <see cref="Ran"/> is false when it could not start before
/// its deadline: the result then says so and tells nothing about the source, so it is answered
/// to whoever waits but not recorded.
/// </summary>
public sealed record ScheduledResult(ProbeResult Result, bool Ran);
