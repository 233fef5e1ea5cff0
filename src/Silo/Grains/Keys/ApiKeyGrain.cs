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
    [PersistentState("apikey", StorageNames.Sources)] IPersistentState<ApiKeyState> state) : Grain, IApiKeyGrain
{
    public async Task Create(string account, byte[] secretHash)
    {
        if (state.RecordExists)
            throw new InvalidOperationException("This key id is taken.");
        state.State = new ApiKeyState { Account = account, SecretHash = secretHash };
        await state.WriteStateAsync();
    }

    public Task<string?> Verify(byte[] secretHash)
    {
        var live = state.RecordExists && !state.State.Revoked;
        // Compare in constant time even for unknown keys, so timing tells nothing.
        var expected = live ? state.State.SecretHash : new byte[secretHash.Length];
        var match = CryptographicOperations.FixedTimeEquals(expected, secretHash);
        return Task.FromResult(live && match ? state.State.Account : null);
    }

    public async Task<bool> Revoke()
    {
        if (!state.RecordExists || state.State.Revoked) return false;
        state.State.Revoked = true;
        await state.WriteStateAsync();
        return true;
    }
}
