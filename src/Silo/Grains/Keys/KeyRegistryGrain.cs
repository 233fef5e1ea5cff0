namespace Sources.Silo.Grains.Keys;

[GenerateSerializer, Alias("Sources.KeyRegistryState")]
public sealed class KeyRegistryState
{
    [Id(0)] public List<KeyInfo> Keys { get; set; } = [];
}

public sealed class KeyRegistryGrain(
    [PersistentState("keys", StorageNames.Sources)] IPersistentState<KeyRegistryState> state) : Grain, IKeyRegistryGrain
{
    public async Task Add(KeyInfo key)
    {
        state.State.Keys.Add(key);
        await state.WriteStateAsync();
    }

    public async Task<bool> MarkRevoked(string keyId)
    {
        var index = state.State.Keys.FindIndex(k => k.KeyId == keyId);
        if (index < 0 || state.State.Keys[index].Revoked) return false;
        state.State.Keys[index] = state.State.Keys[index] with { Revoked = true };
        await state.WriteStateAsync();
        return true;
    }

    public Task<KeyInfo[]> List(string? account) =>
        Task.FromResult(state.State.Keys.Where(k => account is null || k.Account == account).ToArray());
}
