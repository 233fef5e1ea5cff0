using Orleans.Concurrency;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Grains.Accounts;

/// <summary>
/// Reads an account's listing from the sources table, where each source's own row is its index
/// entry (written in the same statement that creates it). It keeps no state, so any silo serves it,
/// and an API-only node (role client) reaches the table through it.
/// </summary>
[StatelessWorker]
public sealed class AccountGrain(SourceStore store) : Grain, IAccountGrain
{
    public Task<SourceListEntry[]> Page(long beforeSequence, int limit, string? type) =>
        store.Page(this.GetPrimaryKeyString(), beforeSequence, limit, type);

    public Task<int> Count() => store.Count(this.GetPrimaryKeyString());
}
