using Orleans.Concurrency;

namespace Sources.Silo.Grains.Accounts;

[GenerateSerializer, Alias("Sources.AccountState")]
public sealed class AccountState
{
    [Id(0)] public List<AccountEntry> Entries { get; set; } = [];
    [Id(1)] public long NextSequence { get; set; } = 1;
}

/// <summary>
/// One account's index. Every create of the account passes through here, so writes are group
/// committed: calls interleave, each change joins the next write, and a call returns only once a
/// write that holds its change has completed. Under load one write serves many creates.
/// </summary>
[Reentrant]
public sealed class AccountGrain(
    [PersistentState("account", StorageNames.Sources)] IPersistentState<AccountState> state) : Grain, IAccountGrain
{
    private long _changes;
    private long _persisted;
    private Task? _writing;

    public async Task Add(long id, string type)
    {
        if (state.State.Entries.Exists(e => e.Id == id)) return;
        state.State.Entries.Add(new AccountEntry(state.State.NextSequence++, id, type));
        await Persist();
    }

    public async Task Remove(long id)
    {
        if (state.State.Entries.RemoveAll(e => e.Id == id) > 0)
            await Persist();
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

    /// <summary>Waits for a write that started after this change; starts one when none is running.</summary>
    private async Task Persist()
    {
        var mine = ++_changes;
        while (_persisted < mine)
        {
            _writing ??= Write(_changes);
            await _writing;
        }
    }

    private async Task Write(long upTo)
    {
        try
        {
            await state.WriteStateAsync();
            _persisted = Math.Max(_persisted, upTo);
        }
        finally
        {
            _writing = null;
        }
    }
}
