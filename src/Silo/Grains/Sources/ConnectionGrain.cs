using Orleans.Runtime;

namespace Sources.Silo.Grains.Sources;

public sealed class ConnectionGrain(
    [PersistentState("source", StorageNames.Sources)] IPersistentState<SourceRecord> state,
    TimeProvider time) : Grain, IConnectionGrain
{
    public async Task<ChangeResult> Register(string account, SourceConfig config)
    {
        if (state.RecordExists)
            return new(ChangeOutcome.AlreadyExists, null);
        var now = time.GetUtcNow();
        state.State = Apply(new SourceRecord
        {
            Id = this.GetPrimaryKeyLong(),
            Account = account,
            CreatedAt = now,
        }, config, now);
        await state.WriteStateAsync();
        return new(ChangeOutcome.Done, state.State);
    }

    public Task<SourceRecord?> Get(string account) => Task.FromResult(Owned(account));

    public async Task<ChangeResult> Reconfigure(string account, int expectedVersion, SourceConfig config)
    {
        if (Owned(account) is not { } current)
            return new(ChangeOutcome.NotFound, null);
        if (current.Version != expectedVersion || current.Type != config.Type)
            return new(ChangeOutcome.Conflict, current);
        state.State = Apply(current, config, time.GetUtcNow());
        await state.WriteStateAsync();
        return new(ChangeOutcome.Done, state.State);
    }

    public async Task<ChangeOutcome> Delete(string account)
    {
        if (Owned(account) is null)
            return ChangeOutcome.NotFound;
        await state.ClearStateAsync();
        state.State = new SourceRecord();
        DeactivateOnIdle();
        return ChangeOutcome.Done;
    }

    private SourceRecord? Owned(string account) =>
        state.RecordExists && state.State.Account == account ? state.State : null;

    private static SourceRecord Apply(SourceRecord record, SourceConfig config, DateTimeOffset now) => record with
    {
        Type = config.Type,
        AccountName = config.AccountName,
        SettingsJson = config.SettingsJson,
        SealedSecrets = config.SealedSecrets,
        SecretsSet = config.SecretsSet,
        Status = SourceStatus.Pending,
        UpdatedAt = now,
        Version = record.Version + 1,
    };
}
