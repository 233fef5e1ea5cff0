using Orleans.Storage;

namespace Sources.Silo.Grains.Idempotency;

[GenerateSerializer, Alias("Sources.IdempotencyState")]
public sealed class IdempotencyState
{
    [Id(0)] public byte[] BodyHash { get; set; } = [];
    [Id(1)] public StoredResponse? Response { get; set; }
    [Id(2)] public DateTimeOffset ClaimedAt { get; set; }
}

public sealed class IdempotencyGrain(
    [PersistentState("idempotency", StorageNames.Sources)] IPersistentState<IdempotencyState> state,
    TimeProvider time) : Grain, IIdempotencyGrain
{
    /// <summary>How long a key is remembered.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a claim with no answer is taken to be still running. A create asks the cluster a
    /// few times, each call bounded by the response timeout and the lost-node retry, so one that
    /// has not answered after this long never will: its node was lost with it. The key is then
    /// free again, rather than answering "in progress" for the rest of its window.
    /// </summary>
    public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(2);

    public async Task<IdempotencyClaim> Claim(byte[] bodyHash)
    {
        var now = time.GetUtcNow();
        if (state.RecordExists && now - state.State.ClaimedAt < Window
            && (state.State.Response is not null || now - state.State.ClaimedAt < Abandoned))
        {
            if (!state.State.BodyHash.AsSpan().SequenceEqual(bodyHash))
                return new(ClaimOutcome.Conflict, null);
            return state.State.Response is { } response
                ? new(ClaimOutcome.Replay, response)
                : new(ClaimOutcome.InProgress, null);
        }
        if (state.RecordExists)
        {
            // An expired record this activation still holds may have been deleted under it by
            // IdempotencyExpiry: write against the row as it is now, not as it was read.
            await state.ReadStateAsync();
        }
        state.State = new IdempotencyState { BodyHash = bodyHash, ClaimedAt = now };
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            // Deleted between that read and this write: the row is gone, so write it anew.
            await state.ReadStateAsync();
            state.State = new IdempotencyState { BodyHash = bodyHash, ClaimedAt = now };
            await state.WriteStateAsync();
        }
        return new(ClaimOutcome.Proceed, null);
    }

    public async Task Complete(byte[] bodyHash, StoredResponse response)
    {
        if (!state.State.BodyHash.AsSpan().SequenceEqual(bodyHash)) return;
        state.State.Response = response;
        await state.WriteStateAsync();
    }

    public async Task Release(byte[] bodyHash)
    {
        if (state.RecordExists && state.State.Response is null && state.State.BodyHash.AsSpan().SequenceEqual(bodyHash))
            await state.ClearStateAsync();
    }
}
