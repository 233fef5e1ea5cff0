using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Storage;

namespace Sources.Silo.Grains.Keys;

/// <summary>Reads a key's stored state as its grain would (same storage, state name and grain id), and nothing more.</summary>
[StatelessWorker]
public sealed class KeyLookupGrain([FromKeyedServices(StorageNames.Sources)] IGrainStorage storage) : Grain, IKeyLookupGrain
{
    public async Task<bool> IsLive(string keyId)
    {
        var state = new GrainState<ApiKeyState>();
        await storage.ReadStateAsync(ApiKeyGrain.StateName, GrainFactory.GetGrain<IApiKeyGrain>(keyId).GetGrainId(), state);
        return state is { RecordExists: true, State.Revoked: false };
    }
}
