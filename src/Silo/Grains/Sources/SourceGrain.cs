using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using Orleans.Runtime;
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
/// The state lives in its row of the sources table (<see cref="SourceStore"/>), read on first
/// use, so a create writes once and reads nothing. At the end of every call the grain publishes
/// the source to this node's <see cref="ActiveSources"/>, where gets read it without a call.
/// </summary>
public sealed partial class SourceGrain(
    SourceStore store,
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
    /// <summary>The source, or null when there is none (once <see cref="_loaded"/>).</summary>
    private SourceRecord? _record;

    /// <summary>The version of the stored row, which the next write must name.</summary>
    private int _version;

    private bool _loaded;
    private Task? _loading;

    private readonly SourceProbes _probes = new(scheduler);

    /// <summary>What was last published to <see cref="ActiveSources"/>, so an unchanged source is not published again.</summary>
    private (SourceRecord? Record, ProbeProgress? Progress) _published;

    /// <summary>
    /// Every call, the one-way ones included, ends by publishing the source as it now is, before
    /// the caller hears back; calls that interleave all run on this activation's turn, so the last
    /// to end publishes the latest.
    /// </summary>
    public async Task Invoke(IIncomingGrainCallContext call)
    {
        try
        {
            await call.Invoke();
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
        // Ids are handed out once, so a new grain has no row: write without reading first.
        if (_loaded && _record is not null)
            return new(ChangeOutcome.AlreadyExists, null);
        var now = time.GetUtcNow();
        var record = Apply(new SourceRecord { Id = this.GetPrimaryKeyLong(), Account = account, CreatedAt = now }, config, now);
        var row = Row(record);
        if (await store.Insert(row) is not { } version)
        {
            // The store runs a write again when the database dropped its connection; if the first
            // run was stored after all, the row found is this very one.
            if (await store.Read(row.Id) is not { } stored || !stored.Row.Payload.AsSpan().SequenceEqual(row.Payload))
            {
                _loaded = false;
                return new(ChangeOutcome.AlreadyExists, null);
            }
            version = stored.Version;
        }
        (_record, _version, _loaded) = (record, version, true);
        _ = StartProbe(ProbeLane.Interactive);
        return new(ChangeOutcome.Done, View(record));
    }

    public async Task<SourceRecord?> Get(string account) => await Owned(account) is { } record ? View(record) : null;

    public async Task<ChangeResult> Reconfigure(string account, int expectedVersion, SourceConfig config)
    {
        if (await Owned(account) is not { } current)
            return new(ChangeOutcome.NotFound, null);
        if (current.Version != expectedVersion || current.Type != config.Type)
            return new(ChangeOutcome.Conflict, View(current));
        await Persist(Apply(current, config, time.GetUtcNow()));
        _ = StartProbe(ProbeLane.Interactive);
        return new(ChangeOutcome.Done, View(_record!));
    }

    public async Task<ChangeOutcome> Delete(string account)
    {
        if (await Owned(account) is null)
            return ChangeOutcome.NotFound;
        await store.Delete(this.GetPrimaryKeyLong());
        await files.Delete(this.GetPrimaryKeyLong());
        (_record, _version) = (null, 0);
        DeactivateOnIdle();
        return ChangeOutcome.Done;
    }

    public async Task<ProbeResult?> Test(string account)
    {
        if (await Owned(account) is null)
            return null;
        return (await _probes.Test(Request, Reporter())).Result;
    }

    public async Task RecordProbe(int version, int probe, ProbeResult? result)
    {
        var again = _probes.Ended(probe);
        if (await Current() is not { } current) return;
        if (result is not null && current.Version == version)
        {
            var authFailures = result.Outcome == ProbeOutcome.AuthFailed ? current.AuthFailures + 1 : 0;
            await Persist(current with
            {
                LastProbe = result,
                // Discovery is kept once, in the last probe: the history says how checks went.
                History = [result with { DiscoveryJson = null }, .. current.History.Take(settings.HistorySize - 1)],
                AuthFailures = authFailures,
                HeldBack = false,
                NextCheckAt = SourceHealth.NextCheck(time.GetUtcNow(), authFailures, settings),
                Status = SourceHealth.StatusAt(current with { LastProbe = result }, time.GetUtcNow(), settings),
            });
        }
        if (again || (result is not null && _record?.Version != version))
            _ = StartProbe(ProbeLane.Interactive);
        else if (result is null)
            // Asked for but never started: whoever waited has been answered; the check itself still runs, as background work.
            _ = StartProbe(ProbeLane.Background);
    }

    public Task ReportProgress(int probe, ProbeProgress progress)
    {
        _probes.Progressed(probe, progress);
        return Task.CompletedTask;
    }

    public async Task Check()
    {
        if (await Current() is not { } record) return;
        if (_probes.Idle && (record.NextCheckAt is not { } due || due <= time.GetUtcNow()))
            _ = StartProbe(ProbeLane.Background);
    }

    public async Task HoldBack(DateTimeOffset markedAt)
    {
        if (await Current() is not { } current || current.UpdatedAt > markedAt || current.HeldBack) return;
        var result = HeldBackCheck.Result(time.GetUtcNow());
        await Persist(current with
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
    private ProbeRequest Request(int number) =>
        ProbeRequest.For(_record!, secrets, new ProgressMessages(grains.GetGrain<ISourceGrain>(_record!.Id), number, time));

    /// <summary>
    /// Carries a probe's outcome back as a message naming the version it probed; one that could
    /// not start is reported as no result, so nothing about the source is recorded from it.
    /// </summary>
    private Func<int, ScheduledResult, Task> Reporter()
    {
        var (self, version) = (grains.GetGrain<ISourceGrain>(_record!.Id), _record.Version);
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
        await Current() is { } record && record.Account == account ? record : null;

    /// <summary>The source as stored, read on first use.</summary>
    private async Task<SourceRecord?> Current()
    {
        if (!_loaded)
            await (_loading ??= Load());
        return _record;
    }

    private async Task Load()
    {
        try
        {
            var stored = await store.Read(this.GetPrimaryKeyLong());
            // A create that finished while this read ran knows better than the read.
            if (_loaded) return;
            (_record, _version) = stored is null ? (null, 0) : (serializer.Deserialize(stored.Row.Payload), stored.Version);
            _loaded = true;
        }
        finally
        {
            _loading = null;
        }
    }

    /// <summary>Stores the source as changed; the activation keeps the change only once it is stored.</summary>
    private async Task Persist(SourceRecord changed)
    {
        try
        {
            _version = await store.Update(Row(changed), _version);
        }
        catch (InconsistentStateException)
        {
            // Another activation wrote this source: this one's copy is stale, so let it go.
            _loaded = false;
            DeactivateOnIdle();
            throw;
        }
        _record = changed;
    }

    /// <summary>
    /// The row for a source. Its check falls due at the next check time, or, for a source not yet
    /// checked, once its first probe has had time to finish (so a probe lost with its node is redone).
    /// </summary>
    private SourceRow Row(SourceRecord record) => new(record.Id, record.Account, record.Type,
        serializer.SerializeToArray(record),
        record.HeldBack ? HeldBackCheck.Never : record.NextCheckAt ?? record.UpdatedAt + HealthSweep.Lease(settings, scheduler.LongestDeadline));

    private SourceRecord View(SourceRecord record) => ActiveSources.View(record, ShownProgress, time.GetUtcNow(), settings);

    private ProbeProgress? ShownProgress => _probes.Progress;

    /// <summary>
    /// Puts the source as it now is in this node's <see cref="ActiveSources"/>, or takes it out when
    /// this activation no longer holds it (deleted, never stored, or stale after another wrote it).
    /// </summary>
    private void Publish()
    {
        var (record, progress) = (_loaded ? _record : null, ShownProgress);
        if (ReferenceEquals(record, _published.Record) && ReferenceEquals(progress, _published.Progress)) return;
        _published = (record, progress);
        if (record is not null)
            active.Publish(this, record, progress);
        else
            active.Withdraw(this, this.GetPrimaryKeyLong());
    }

    private SourceRecord Apply(SourceRecord record, SourceConfig config, DateTimeOffset now)
    {
        var updated = record with
        {
            Type = config.Type,
            AccountName = config.AccountName,
            SettingsJson = config.SettingsJson,
            SealedSecrets = config.SealedSecrets,
            SecretsSet = config.SecretsSet,
            UpdatedAt = now,
            Version = record.Version + 1,
            LastProbe = null,
            AuthFailures = 0,
            HeldBack = false,
        };
        return updated with { CredentialExpiresAt = CredentialExpiry.Earliest(secrets.Secrets(updated)), Status = SourceStatus.Pending };
    }

    /// <summary>
    /// Carries a probe's progress from its thread to the grain as one-way messages, never touching
    /// grain state: each file's end goes at once, reports within a file at most every 250 ms.
    /// </summary>
    private sealed class ProgressMessages(ISourceGrain grain, int probe, TimeProvider time) : IProgress<ProbeProgress>
    {
        private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);
        private readonly Lock _lock = new();
        private int _filesDone = -1;
        private long _sentAt;

        public void Report(ProbeProgress value)
        {
            lock (_lock)
            {
                var now = time.GetTimestamp();
                if (value.FilesDone == _filesDone && time.GetElapsedTime(_sentAt, now) < Every)
                    return;
                _filesDone = value.FilesDone;
                _sentAt = now;
            }
            _ = grain.ReportProgress(probe, value);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The result of a probe of source {SourceId} could not be recorded ({Exception}); its next check is still due")]
    private static partial void ReportLost(ILogger logger, long sourceId, string exception);
}
