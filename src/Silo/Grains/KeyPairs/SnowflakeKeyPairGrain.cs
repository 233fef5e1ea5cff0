namespace Sources.Silo.Grains.KeyPairs;

public sealed class SnowflakeKeyPairGrain(
    [PersistentState("snowflakekeypair", StorageNames.Sources)] IPersistentState<SnowflakeKeyPair> state,
    TimeProvider time) : Grain, ISnowflakeKeyPairGrain
{
    public async Task<bool> Store(string publicKey, byte[] sealedPrivateKey)
    {
        if (state.RecordExists) return false;
        state.State = new SnowflakeKeyPair { PublicKey = publicKey, SealedPrivateKey = sealedPrivateKey, CreatedAt = time.GetUtcNow() };
        await state.WriteStateAsync();
        return true;
    }

    public Task<SnowflakeKeyPair?> Get() => Task.FromResult(state.RecordExists ? state.State : null);
}
