using Orleans.Serialization;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Listing;

/// <summary>A page of an account's listing: its sources as shown now, and the cursor of the next page when there is one.</summary>
public sealed record ListingPage(IReadOnlyList<SourceRecord> Items, long? NextBefore);

/// <summary>
/// An account's listing, a page at a time, read from the sources table in one query and shown as a
/// get shows each source (status as of now), without a call to any source's grain: a status filter
/// over many sources that do not match would otherwise activate each of them. The progress of a
/// probe running now is known only where its grain is active; a page shows it for those on this node.
/// </summary>
public sealed class SourcePages(SourceListingStore store, Serializer<SourceRecord> serializer, ActiveSources active,
    ProbeSettings settings, TimeProvider time)
{
    /// <param name="before">The cursor: only sources created before this sequence.</param>
    public async Task<ListingPage> Page(string account, long before, int limit, string? type, string? status, string? search)
    {
        // Whole milliseconds, as the table keeps times: the query's status and the one shown agree.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var rows = await store.Page(new SourcePageQuery(account, before, limit + 1, type, status, search, now, now + settings.ExpiryWarning));
        var shown = Math.Min(rows.Length, limit);
        var items = new SourceRecord[shown];
        for (var i = 0; i < shown; i++)
        {
            var record = serializer.Deserialize(rows[i].Payload)!;
            items[i] = ActiveSources.View(record, active.ProgressOf(record.Id, account), now, settings);
        }
        // One more row than asked for means the next page has at least one source.
        return new ListingPage(items, rows.Length > limit ? rows[limit - 1].Sequence : null);
    }

    /// <summary>How many sources the account holds (for its quota).</summary>
    public Task<int> Count(string account) => store.Count(account);
}
