using Orleans.Concurrency;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Files;
using Sources.Silo.Scheduling;
using Sources.Silo.Secrets;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// The test before a create. The probe goes through the node's scheduler in the interactive lane
/// under the caller's account, exactly as a new source's first probe, so it has the same deadline
/// and share. Its id is a trial's own (negative, never a source's), so whatever a FILE probe
/// downloads lands in a folder of its own, removed once the probe has answered.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class SourceTrialGrain(ProbeScheduler scheduler, SourceSecrets secrets, SourceFiles files) : Grain, ISourceTrialGrain
{
    public async Task<ProbeResult> Probe(string account, long trialId, SourceConfig config)
    {
        var record = new SourceRecord { Id = trialId, Account = account, Type = config.Type, SettingsJson = config.SettingsJson, SealedSecrets = config.SealedSecrets };
        var request = ProbeRequest.For(record, secrets);
        try
        {
            return (await scheduler.Schedule(request, ProbeLane.Interactive).Result).Result;
        }
        finally
        {
            // What a probe still draining past its deadline leaves later, the FILE sweep removes.
            await files.Delete(trialId);
        }
    }
}
