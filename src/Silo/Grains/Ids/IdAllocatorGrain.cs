namespace Sources.Silo.Grains.Ids;

[GenerateSerializer, Alias("Sources.IdAllocatorState")]
public sealed class IdAllocatorState
{
    [Id(0)] public long Next { get; set; } = 1;
}

public sealed class IdAllocatorGrain(
    [PersistentState("ids", StorageNames.Sources)] IPersistentState<IdAllocatorState> state) : Grain, IIdAllocatorGrain
{
    public async Task<long> Reserve(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var first = state.State.Next;
        state.State.Next = first + size;
        // Persist before answering: a block handed out is never handed out again, even after a crash.
        await state.WriteStateAsync();
        return first;
    }
}
