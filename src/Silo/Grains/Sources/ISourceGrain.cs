using Orleans.Concurrency;
using Sources.Silo.Probing;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// One grain per source, keyed by its public id, owning it for its whole life: its settings,
/// its sealed credentials, its probes and its health. Every method names the calling account:
/// another account's source answers as if it did not exist.
/// </summary>
[Alias("Sources.ISourceGrain")]
public interface ISourceGrain : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task<ChangeResult> Register(string account, SourceConfig config);

    /// <summary>Never waits for a probe: reads interleave with everything else.</summary>
    [Alias("Get"), AlwaysInterleave]
    Task<SourceRecord?> Get(string account);

    /// <summary>Replaces the configuration if the source is still at <paramref name="expectedVersion"/>.</summary>
    [Alias("Reconfigure")]
    Task<ChangeResult> Reconfigure(string account, int expectedVersion, SourceConfig config);

    [Alias("Delete")]
    Task<ChangeOutcome> Delete(string account);

    /// <summary>
    /// Probes now (or joins the probe already running) and answers its result by the probe's
    /// deadline, which the scheduler keeps; the call's own timeout is only a backstop above the
    /// longest deadline a probe may have.
    /// </summary>
    [Alias("Test"), AlwaysInterleave, ResponseTimeout("01:00:00")]
    Task<ProbeResult?> Test(string account);

    /// <summary>
    /// Where a probe of <paramref name="version"/> reports back, as one turn of the grain;
    /// <paramref name="result"/> is null when the probe could not start before its deadline.
    /// </summary>
    [Alias("RecordProbe.2")]
    Task RecordProbe(int version, int probe, ProbeResult? result);

    /// <summary>
    /// Where a running probe reports how far it has come (probe numbers it within the
    /// activation). Kept in memory only and shown until the probe's result is recorded.
    /// </summary>
    [Alias("ReportProgress"), AlwaysInterleave, OneWay]
    Task ReportProgress(int probe, ProbeProgress progress);

    /// <summary>
    /// The health sweep found this source's check due: probe unless one runs or it is not due after
    /// all. Answers once the probe is with the scheduler (not when it ends), so the sweep can count
    /// it before it claims more. If nobody else calls the grain meanwhile, its activation goes once
    /// the result is recorded.
    /// </summary>
    [Alias("Check")]
    Task Check();

    /// <summary>
    /// A check of this source that began at <paramref name="markedAt"/> never finished: the node
    /// running it went down. Unless the source changed since, it is recorded as failing for that
    /// reason and held out of the sweep until its owner changes it or asks for a test.
    /// </summary>
    [Alias("HoldBack")]
    Task HoldBack(DateTimeOffset markedAt);
}
