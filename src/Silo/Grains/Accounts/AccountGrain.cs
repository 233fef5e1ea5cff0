namespace Sources.Silo.Grains.Accounts;

[GenerateSerializer, Alias("Sources.AccountState")]
public sealed class AccountState
{
    [Id(0)] public List<AccountEntry> Entries { get; set; } = [];
    [Id(1)] public long NextSequence { get; set; } = 1;
}

public sealed class AccountGrain(
    [PersistentState("account", StorageNames.Sources)] IPersistentState<AccountState> state) : Grain, IAccountGrain
{
    public async Task Add(long id, string type)
    {
        if (state.State.Entries.Exists(e => e.Id == id)) return;
        state.State.Entries.Add(new AccountEntry(state.State.NextSequence++, id, type));
        await state.WriteStateAsync();
    }

    public async Task Remove(long id)
    {
        if (state.State.Entries.RemoveAll(e => e.Id == id) > 0)
            await state.WriteStateAsync();
    }

    public Task<AccountEntry[]> Page(long beforeSequence, int limit, string? type)
    {
        var page = new List<AccountEntry>(limit);
        // Entries are appended in sequence order, so walking backwards is newest first.
        for (var i = state.State.Entries.Count - 1; i >= 0 && page.Count < limit; i--)
        {
            var entry = state.State.Entries[i];
            if (entry.Sequence < beforeSequence && (type is null || entry.Type == type))
                page.Add(entry);
        }
        return Task.FromResult(page.ToArray());
    }
}
