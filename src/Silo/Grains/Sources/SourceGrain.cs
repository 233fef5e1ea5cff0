using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Storage;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Files;
using Sources.Silo.Scheduling;
using Sources.Silo.Secrets;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// The life of one source. Its probes (<see cref="SourceProbes"/>) are run by the node's
/// <see cref="ProbeScheduler"/>, off the grain's turn (reads never wait for them): interactive
/// after a create, a new configuration or a test, background when the <see cref="HealthSweep"/>
/// finds its row due (later after each authentication failure). A probe reports back through
/// <see cref="RecordProbe"/>, and how far it has come through <see cref="ReportProgress"/>.
/// The state is its row of the sources table (<see cref="SourceState"/>). At the end of every
/// call the grain publishes the source to this node's <see cref="ActiveSources"/>, where gets read
/// it without a call. A source nobody has called since its background check began lets its
/// activation go once the result is recorded, so memory follows activity (docs/lifecycle.md).
/// </summary>
public sealed partial class SourceGrain(
    SourceStore store,
    SchemaPageStore schemaPages,
    Serializer<SourceRecord> serializer,
    ProbeScheduler scheduler,
    SourceSecrets secrets,
    ProbeSettings settings,
    ActiveSources active,
    SourceFiles files,
    GrainReferences grains,
    TimeProvider time,
    ILogger<SourceGrain> logger) : Grain, ISourceGrain, IIncomingGrainCallFilter
{
    private SourceState _state = null!;

    private readonly SourceProbes _probes = new(scheduler);

    /// <summary>
    /// Whether anyone but the sweep (a create, a get, a change, a test) has called since the last
    /// background check began: such a source is in use and keeps its activation.
    /// </summary>
    private bool _inUse;

    /// <summary>What was last published to <see cref="ActiveSources"/>, so an unchanged source is not published again.</summary>
    private (SourceRecord? Record, ProbeProgress? Progress) _published;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = new SourceState(this.GetPrimaryKeyLong(), store, serializer, HealthSweep.Lease(settings, scheduler.LongestDeadline));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Every call, the one-way ones included, ends by publishing the source as it now is, before
    /// the caller hears back; calls that interleave all run on this activation's turn, so the last
    /// to end publishes the latest. A write that finds another activation wrote the source since
    /// leaves this one with a stale copy, so it lets the activation go.
    /// </summary>
    public async Task Invoke(IIncomingGrainCallContext call)
    {
        try
        {
            await call.Invoke();
        }
        catch (InconsistentStateException)
        {
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            Publish();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        active.Withdraw(this, this.GetPrimaryKeyLong());
        return Task.CompletedTask;
    }

    public async Task<ChangeResult> Register(string account, SourceConfig config)
    {
        _inUse = true;
        if (_state.Held is not null)
            return new(ChangeOutcome.AlreadyExists, null);
        var now = time.GetUtcNow();
        var source = Configured(new SourceRecord { Id = this.GetPrimaryKeyLong(), Account = account, CreatedAt = now }, config, now);
        if (!await _state.Insert(source))
            return new(ChangeOutcome.AlreadyExists, null);
        _ = StartProbe(ProbeLane.Interactive);
        return new(ChangeOutcome.Done, View(source));
    }

    public async Task<SourceRecord?> Get(string account)
    {
        _inUse = true;
        return await Owned(account) is { } source ? View(source) : null;
    }

    public async Task<ChangeResult> Reconfigure(string account, int expectedVersion, SourceConfig config)
    {
        _inUse = true;
        if (await Owned(account) is not { } current)
            return new(ChangeOutcome.NotFound, null);
        if (current.Version != expectedVersion || current.Type != config.Type)
            return new(ChangeOutcome.Conflict, View(current));
        var changed = Configured(current, config, time.GetUtcNow());
        await _state.Write(changed);
        _ = StartProbe(ProbeLane.Interactive);
        return new(ChangeOutcome.Done, View(changed));
    }

    public async Task<ChangeOutcome> Delete(string account)
    {
        if (await Owned(account) is null)
            return ChangeOutcome.NotFound;
        await _state.Delete();
        await schemaPages.Delete(this.GetPrimaryKeyLong());
        await files.Delete(this.GetPrimaryKeyLong());
        DeactivateOnIdle();
        return ChangeOutcome.Done;
    }

    public async Task<ProbeResult?> Test(string account)
    {
        _inUse = true;
        if (await Owned(account) is null)
            return null;
        return (await _probes.Test(Request, Reporter())).Result with { MorePages = null };
    }

    public async Task RecordProbe(int version, int probe, ProbeResult? result)
    {
        var again = _probes.Ended(probe);
        if (await _state.Read() is not { } current) return;
        if (result is not null && current.Version == version)
        {
            // The discovery's later pages go to their own table; the source keeps the first.
            if (result.MorePages is not null || DiscoveryPages.HasMore(current.LastProbe))
                await schemaPages.Replace(current.Id, result.CheckedAt, result.MorePages ?? []);
            await _state.Write(Checked(current, result with { MorePages = null }));
        }
        if (again || (result is not null && _state.Held?.Version != version))
            _ = StartProbe(ProbeLane.Interactive);
        else if (result is null)
            // Asked for but never started: whoever waited has been answered; the check itself still runs, as background work.
            _ = StartProbe(ProbeLane.Background);
        LetGoIfUnused();
    }

    public Task ReportProgress(int probe, ProbeProgress progress)
    {
        _probes.Progressed(probe, progress);
        return Task.CompletedTask;
    }

    public async Task Check()
    {
        if (await _state.Read() is { } source && _probes.Idle && (source.NextCheckAt is not { } due || due <= time.GetUtcNow()))
        {
            _inUse = false;
            _ = StartProbe(ProbeLane.Background);
        }
        else
            LetGoIfUnused();
    }

    /// <summary>
    /// Between checks a source nobody calls needs no activation: its row holds all of it, and the
    /// sweep finds it there when its next check is due. One that is in use stays until Orleans
    /// collects it as idle.
    /// </summary>
    private void LetGoIfUnused()
    {
        if (!_inUse && _probes.Idle)
            DeactivateOnIdle();
    }

    public async Task HoldBack(DateTimeOffset markedAt)
    {
        if (await _state.Read() is not { } current || current.UpdatedAt > markedAt || current.HeldBack) return;
        var result = HeldBackCheck.Result(time.GetUtcNow());
        await _state.Write(current with
        {
            LastProbe = result,
            History = [result, .. current.History.Take(settings.HistorySize - 1)],
            HeldBack = true,
            NextCheckAt = null,
            Status = SourceStatus.Failing,
        });
    }

    private Task<ScheduledResult> StartProbe(ProbeLane lane) => _probes.Start(lane, Request, Reporter());

    /// <summary>
    /// The probe numbered <paramref name="number"/> of the source as it is now: the settings and
    /// secrets are read in this turn; the scheduler runs the driver work off it.
    /// </summary>
    private ProbeRequest Request(int number)
    {
        var source = _state.Held!;
        return ProbeRequest.For(source, secrets, new ProgressMessages(grains.GetGrain<ISourceGrain>(source.Id), number, time));
    }

    /// <summary>
    /// Carries a probe's outcome back as a message naming the version it probed; one that could
    /// not start is reported as no result, so nothing about the source is recorded from it.
    /// </summary>
    private Func<int, ScheduledResult, Task> Reporter()
    {
        var source = _state.Held!;
        var (self, version) = (grains.GetGrain<ISourceGrain>(source.Id), source.Version);
        return async (number, outcome) =>
        {
            try
            {
                await self.RecordProbe(version, number, outcome.Ran ? outcome.Result : null);
            }
            catch (Exception ex)
            {
                // The activation is gone (its node stopping, say): the row stays due and the sweep checks again.
                ReportLost(logger, self.GetPrimaryKeyLong(), ex.GetType().Name);
            }
        };
    }

    private async Task<SourceRecord?> Owned(string account) =>
        await _state.Read() is { } source && source.Account == account ? source : null;

    private SourceRecord View(SourceRecord source) => ActiveSources.View(source, _probes.Progress, time.GetUtcNow(), settings);

    /// <summary>
    /// Puts the source as it now is in this node's <see cref="ActiveSources"/>, or takes it out when
    /// this activation no longer holds it (deleted, never stored, or stale after another wrote it).
    /// </summary>
    private void Publish()
    {
        var (source, progress) = (_state.Held, _probes.Progress);
        if (ReferenceEquals(source, _published.Record) && ReferenceEquals(progress, _published.Progress)) return;
        _published = (source, progress);
        if (source is not null)
            active.Publish(this, source, progress);
        else
            active.Withdraw(this, this.GetPrimaryKeyLong());
    }

    /// <summary>The source with a new configuration: unproven until probed, its credentials' expiry read from them.</summary>
    private SourceRecord Configured(SourceRecord source, SourceConfig config, DateTimeOffset now)
    {
        var updated = source with
        {
            Type = config.Type,
            AccountName = config.AccountName,
            SettingsJson = config.SettingsJson,
            SealedSecrets = config.SealedSecrets,
            SecretsSet = config.SecretsSet,
            UpdatedAt = now,
            Version = source.Version + 1,
            LastProbe = null,
            AuthFailures = 0,
            HeldBack = false,
        };
        return updated with { CredentialExpiresAt = CredentialExpiry.Earliest(secrets.Secrets(updated)), Status = SourceStatus.Pending };
    }

    /// <summary>The source with a probe's result: its history, its status and when it is checked next.</summary>
    private SourceRecord Checked(SourceRecord source, ProbeResult result)
    {
        var now = time.GetUtcNow();
        var authFailures = result.Outcome == ProbeOutcome.AuthFailed ? source.AuthFailures + 1 : 0;
        return source with
        {
            LastProbe = result,
            // Discovery is kept once, in the last probe: the history says how checks went.
            History = [result with { DiscoveryJson = null }, .. source.History.Take(settings.HistorySize - 1)],
            AuthFailures = authFailures,
            HeldBack = false,
            NextCheckAt = SourceHealth.NextCheck(now, authFailures, settings),
            Status = SourceHealth.StatusAt(source with { LastProbe = result }, now, settings),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result of a probe of source {SourceId} could not be recorded ({Exception}); its next check is still due")]
    private static partial void ReportLost(ILogger logger, long sourceId, string exception);
}
