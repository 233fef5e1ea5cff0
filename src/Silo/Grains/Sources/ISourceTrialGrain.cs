using Sources.Silo.Probing;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// Probes settings that are not a source (yet): the test before a create. Stateless, so it runs
/// on the silo it is called from (any silo for an API-only node); nothing it probes is kept.
/// </summary>
[Alias("Sources.ISourceTrialGrain")]
public interface ISourceTrialGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Probes <paramref name="config"/> (sealed at the edge under <paramref name="trialId"/>, as a
    /// source's would be) as the first probe of a new source of <paramref name="account"/>; answers
    /// by the probe's deadline.
    /// </summary>
    [Alias("Probe"), ResponseTimeout("01:00:00")]
    Task<ProbeResult> Probe(string account, long trialId, SourceConfig config);
}
