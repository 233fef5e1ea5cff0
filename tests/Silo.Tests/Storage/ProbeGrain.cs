using Sources.Silo.Storage;

namespace Sources.Silo.Tests.Storage;

/// <summary>A grain that exercises exactly what the storage layer provides: persistent state.</summary>
public interface IProbeGrain : IGrainWithIntegerKey
{
    Task Set(string value);

    Task<ProbeSnapshot> Get();

    Task Clear();

    /// <summary>The silo and the activation that answered, to tell whether two callers reached the same one.</summary>
    Task<string> Activation();
}

[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)]
    public string? Value { get; set; }
}

[GenerateSerializer]
public sealed record ProbeSnapshot([property: Id(0)] string? Value, [property: Id(1)] string? ETag, [property: Id(2)] bool RecordExists);

public sealed class ProbeGrain(
    [PersistentState("probe", SourcesStorageExtensions.StorageName)] IPersistentState<ProbeState> state) : Grain, IProbeGrain
{
    private readonly Guid _activation = Guid.NewGuid();

    public async Task Set(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    public Task<ProbeSnapshot> Get() => Task.FromResult(new ProbeSnapshot(state.State.Value, state.Etag, state.RecordExists));

    public Task Clear() => state.ClearStateAsync();

    public Task<string> Activation() => Task.FromResult($"{RuntimeIdentity}/{_activation:N}");
}
