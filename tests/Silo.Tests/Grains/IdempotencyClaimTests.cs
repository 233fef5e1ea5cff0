using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Grains.Idempotency;

namespace Sources.Silo.Tests.Grains;

/// <summary>
/// A claimed Idempotency-Key answers "in progress" while its request may still run, and is free
/// again once that request can no longer answer (its node was lost with it); an answered key
/// replays for its whole window.
/// </summary>
public sealed class IdempotencyClaimTests
{
    private static readonly byte[] Body = [1, 2, 3];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
    private readonly InMemoryState _state = new();

    private IdempotencyGrain Grain() => new(_state, _time);

    [Fact]
    public async Task A_claim_without_an_answer_is_in_progress_until_it_is_abandoned_then_free_again()
    {
        Assert.Equal(ClaimOutcome.Proceed, (await Grain().Claim(Body)).Outcome);

        _time.Advance(IdempotencyGrain.Abandoned - TimeSpan.FromSeconds(1));
        Assert.Equal(ClaimOutcome.InProgress, (await Grain().Claim(Body)).Outcome);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(ClaimOutcome.Proceed, (await Grain().Claim(Body)).Outcome);
        Assert.Equal(ClaimOutcome.InProgress, (await Grain().Claim(Body)).Outcome);
    }

    [Fact]
    public async Task An_answered_claim_replays_for_its_whole_window_however_long_ago_it_was_claimed()
    {
        var grain = Grain();
        await grain.Claim(Body);
        await grain.Complete(Body, new StoredResponse(201, "{\"id\":7}", "/api/v1/sources/7/"));

        _time.Advance(IdempotencyGrain.Window - TimeSpan.FromMinutes(1));
        var replay = await Grain().Claim(Body);

        Assert.Equal(ClaimOutcome.Replay, replay.Outcome);
        Assert.Equal("{\"id\":7}", replay.Response!.Body);
    }

    /// <summary>Grain state held in memory, with the version checks the storage makes.</summary>
    private sealed class InMemoryState : IPersistentState<IdempotencyState>
    {
        public IdempotencyState State { get; set; } = new();
        public string? Etag { get; private set; }
        public bool RecordExists => Etag is not null;

        public Task ClearStateAsync()
        {
            (State, Etag) = (new IdempotencyState(), null);
            return Task.CompletedTask;
        }

        public Task WriteStateAsync()
        {
            Etag = Guid.NewGuid().ToString();
            return Task.CompletedTask;
        }

        public Task ReadStateAsync() => Task.CompletedTask;
    }
}
