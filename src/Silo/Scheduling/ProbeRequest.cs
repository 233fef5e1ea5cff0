using System.Text.Json.Nodes;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Secrets;

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
    IProgress<ProbeProgress>? Progress = null)
{
    /// <summary>The probe of a source as stored (or as a trial would store it): its secrets unsealed here, once.</summary>
    public static ProbeRequest For(SourceRecord record, SourceSecrets secrets, IProgress<ProbeProgress>? progress = null)
    {
        var unsealed = secrets.Secrets(record);
        return new ProbeRequest(record.Account, record.Id, record.Type, SourceSecrets.Whole(record, unsealed), SourceSecrets.Values(unsealed), progress);
    }
}

/// <summary>
/// What became of a scheduled probe. <see cref="Ran"/> is false when it could not start before
/// its deadline: the result then says so and tells nothing about the source, so it is answered
/// to whoever waits but not recorded.
/// </summary>
public sealed record ScheduledResult(ProbeResult Result, bool Ran);
