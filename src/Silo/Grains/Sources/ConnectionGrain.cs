using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Sources.Silo.Probing;
using Sources.Silo.Secrets;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// The life of one source. A probe runs off the grain's turn (reads never wait for it) and
/// reports back through <see cref="RecordProbe"/>, and how far it has come through
/// <see cref="ReportProgress"/>; probes of one source never overlap; a reminder re-checks it,
/// backing off after authentication failures.
/// </summary>
public sealed partial class ConnectionGrain(
    [PersistentState("source", StorageNames.Sources)] IPersistentState<SourceRecord> state,
    ProbeRunner probes,
    SourceSecrets secrets,
    ProbeSettings settings,
    TimeProvider time,
    ILogger<ConnectionGrain> logger) : Grain, IConnectionGrain, IRemindable
{
    private const string HealthReminder = "health";

    /// <summary>The probe in flight, if any; it completes after its result is recorded.</summary>
    private Task<ProbeResult>? _probe;

    /// <summary>The configuration changed while a probe ran: probe again when it ends.</summary>
    private bool _probeAgain;

    /// <summary>Numbers probes (from a random start, so a new activation does not reuse an old one's numbers); a late report of an earlier probe is ignored.</summary>
    private int _probeNumber = Random.Shared.Next();

    /// <summary>The latest progress of the probe in flight; in memory only.</summary>
    private ProbeProgress? _progress;

    public async Task<ChangeResult> Register(string account, SourceConfig config)
    {
        if (state.RecordExists)
            return new(ChangeOutcome.AlreadyExists, null);
        var now = time.GetUtcNow();
        state.State = Apply(new SourceRecord { Id = this.GetPrimaryKeyLong(), Account = account, CreatedAt = now }, config, now);
        await state.WriteStateAsync();
        try
        {
            await KeepChecking();
        }
        catch
        {
            // A source nobody would ever re-check is not created: take it back out.
            await state.ClearStateAsync();
            throw;
        }
        _ = StartProbe();
        return new(ChangeOutcome.Done, View(state.State));
    }

    public Task<SourceRecord?> Get(string account) => Task.FromResult(Owned(account) is { } record ? View(record) : null);

    public async Task<ChangeResult> Reconfigure(string account, int expectedVersion, SourceConfig config)
    {
        if (Owned(account) is not { } current)
            return new(ChangeOutcome.NotFound, null);
        if (current.Version != expectedVersion || current.Type != config.Type)
            return new(ChangeOutcome.Conflict, View(current));
        state.State = Apply(current, config, time.GetUtcNow());
        await state.WriteStateAsync();
        _ = StartProbe();
        return new(ChangeOutcome.Done, View(state.State));
    }

    public async Task<ChangeOutcome> Delete(string account)
    {
        if (Owned(account) is null)
            return ChangeOutcome.NotFound;
        await state.ClearStateAsync();
        state.State = new SourceRecord();
        if (await this.GetReminder(HealthReminder) is { } reminder)
            await this.UnregisterReminder(reminder);
        DeactivateOnIdle();
        return ChangeOutcome.Done;
    }

    public async Task<ProbeResult?> Test(string account)
    {
        if (Owned(account) is null)
            return null;
        return await (_probe ?? StartProbe());
    }

    public async Task RecordProbe(int version, ProbeResult result)
    {
        _probe = null;
        _progress = null;
        if (!state.RecordExists) return;
        if (state.State.Version == version)
        {
            var authFailures = result.Outcome == ProbeOutcome.AuthFailed ? state.State.AuthFailures + 1 : 0;
            state.State = state.State with
            {
                LastProbe = result,
                History = [result, .. state.State.History.Take(settings.HistorySize - 1)],
                AuthFailures = authFailures,
                NextCheckAt = SourceHealth.NextCheck(time.GetUtcNow(), authFailures, settings),
                Status = SourceHealth.StatusAt(state.State with { LastProbe = result }, time.GetUtcNow(), settings),
            };
            await state.WriteStateAsync();
        }
        if (_probeAgain || state.State.Version != version)
        {
            _probeAgain = false;
            _ = StartProbe();
        }
    }

    public Task ReportProgress(int probe, ProbeProgress progress)
    {
        // Reports are one-way and may trail their probe's result: only the running probe's count.
        if (_probe is not null && probe == _probeNumber)
            _progress = progress;
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!state.RecordExists)
        {
            if (await this.GetReminder(reminderName) is { } orphan)
                await this.UnregisterReminder(orphan);
            return;
        }
        if (_probe is null && (state.State.NextCheckAt is not { } due || due <= time.GetUtcNow()))
            _ = StartProbe();
    }

    /// <summary>
    /// Starts a probe outside the grain's turn. The settings and secrets are read now, in the
    /// turn; the driver work runs on the thread pool; the result comes back as a message.
    /// </summary>
    private Task<ProbeResult> StartProbe()
    {
        if (_probe is { } running)
        {
            _probeAgain = true;
            return running;
        }
        var record = state.State;
        var self = this.AsReference<IConnectionGrain>();
        // Unsealed once: the probe gets the whole request, the runner the values to scrub from messages.
        var unsealed = secrets.Secrets(record);
        var whole = SourceSecrets.Whole(record, unsealed);
        var secretValues = unsealed.Select(p => p.Value?.ToString() ?? "").ToArray();
        var id = record.Id;
        var number = ++_probeNumber;
        _progress = null;
        var context = new ProbeContext(id, new ProgressMessages(self, number, time));
        _probe = Task.Run(async () =>
        {
            ProbeResult result;
            try
            {
                result = await probes.Run(record.Type, whole, context, secretValues, CancellationToken.None);
            }
            catch (Exception ex)
            {
                ProbeCrashed(logger, id, ex.GetType().Name);
                result = ProbeResult.Failed(ProbeOutcome.Error, "The check failed unexpectedly.");
            }
            await self.RecordProbe(record.Version, result);
            return result;
        });
        return _probe;
    }

    /// <summary>A reminder survives restarts; its first tick lands at a random point of the interval.</summary>
    private async Task KeepChecking()
    {
        var jitter = settings.Interval * (0.5 + Random.Shared.NextDouble());
        await this.RegisterOrUpdateReminder(HealthReminder, jitter, settings.Interval);
    }

    private SourceRecord? Owned(string account) =>
        state.RecordExists && state.State.Account == account ? state.State : null;

    private SourceRecord View(SourceRecord record) =>
        record with { Status = SourceHealth.StatusAt(record, time.GetUtcNow(), settings), Progress = _probe is null ? null : _progress };

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
        };
        return updated with { CredentialExpiresAt = CredentialExpiry.Earliest(secrets.Secrets(updated)), Status = SourceStatus.Pending };
    }

    /// <summary>
    /// Carries a probe's progress from its thread to the grain as one-way messages, never touching
    /// grain state: each file's end goes at once, reports within a file at most every 250 ms.
    /// </summary>
    private sealed class ProgressMessages(IConnectionGrain grain, int probe, TimeProvider time) : IProgress<ProbeProgress>
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The probe of source {SourceId} crashed with {Exception}")]
    private static partial void ProbeCrashed(ILogger logger, long sourceId, string exception);
}
