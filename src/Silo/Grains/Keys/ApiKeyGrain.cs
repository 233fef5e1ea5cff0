using System.Security.Cryptography;

namespace Sources.Silo.Grains.Keys;

[GenerateSerializer, Alias("Sources.ApiKeyState")]
public sealed class ApiKeyState
{
    [Id(0)] public string Account { get; set; } = "";
    [Id(1)] public byte[] SecretHash { get; set; } = [];
    [Id(2)] public bool Revoked { get; set; }
}

public sealed class ApiKeyGrain(
    [PersistentState(ApiKeyGrain.StateName, StorageNames.Sources)] IPersistentState<ApiKeyState> state,
    TimeProvider time) : Grain, IApiKeyGrain
{
    /// <summary>The name its state is stored under (KeyLookupGrain reads it too).</summary>
    public const string StateName = "apikey";

    /// <summary>
    /// When the last lease this key's grain may have granted ends (a timestamp of this process).
    /// A new activation cannot know what an earlier one granted, so it starts out assuming a full lease.
    /// </summary>
    private long _leasesEnd;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _leasesEnd = LeaseFromNow();
        return Task.CompletedTask;
    }

    public async Task Create(string account, byte[] secretHash)
    {
        if (state.RecordExists)
            throw new InvalidOperationException("This key id is taken.");
        state.State = new ApiKeyState { Account = account, SecretHash = secretHash };
        await state.WriteStateAsync();
    }

    public Task<KeyCheck> Verify(byte[] secretHash)
    {
        var live = state.RecordExists && !state.State.Revoked;
        // Compare in constant time even for unknown keys, so timing tells nothing.
        var expected = live ? state.State.SecretHash : new byte[secretHash.Length];
        var match = CryptographicOperations.FixedTimeEquals(expected, secretHash);
        // An invented id must not keep an activation in memory until idle collection (15 min).
        if (!state.RecordExists)
            DeactivateOnIdle();
        if (!(live && match))
            return Task.FromResult(new KeyCheck(null, live));
        // The caller's lease started before it asked, so it ends no later than this.
        _leasesEnd = Math.Max(_leasesEnd, LeaseFromNow());
        return Task.FromResult(new KeyCheck(state.State.Account, true));
    }

    public async Task<Revocation> Revoke()
    {
        if (!state.RecordExists || state.State.Revoked)
            return new Revocation(false, TimeSpan.Zero);
        state.State.Revoked = true;
        await state.WriteStateAsync();
        var now = time.GetTimestamp();
        return new Revocation(true, now < _leasesEnd ? time.GetElapsedTime(now, _leasesEnd) : TimeSpan.Zero);
    }

    /// <summary>A lease granted now, with a margin for the clocks of two machines running at slightly different rates.</summary>
    private long LeaseFromNow() => ApiKeys.LeaseEnd(time, time.GetTimestamp(), margin: TimeSpan.FromMilliseconds(250));
}
