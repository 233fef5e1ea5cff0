using System.Collections.Concurrent;
using Sources.Silo.Probing;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// The sources whose grain is active on this node, each as its grain last left it, so that a get
/// arriving here is answered without a grain call (a message and two thread-pool hops, most of a
/// get's cost beyond Kestrel's). The grain stays the only writer: it publishes at the end of every
/// call it takes, before its caller hears back, so whoever saw a change answered reads that change
/// here; and it withdraws when it stops being the source's owner here (deleted, stale, deactivated).
/// Only the node holding the source's one activation has an entry; every other node asks the grain.
/// </summary>
public sealed class ActiveSources(ProbeSettings settings, TimeProvider time)
{
    private readonly ConcurrentDictionary<long, Published> _sources = new();

    /// <summary>
    /// True when the source's grain is active on this node: then <paramref name="view"/> is what
    /// its <c>Get</c> would answer the account: the source, or null if it is another account's.
    /// </summary>
    public bool TryGet(long id, string account, out SourceRecord? view)
    {
        var active = _sources.TryGetValue(id, out var published);
        view = Owned(published, account) is { } source ? View(source.Record, source.Progress, time.GetUtcNow(), settings) : null;
        return active;
    }

    /// <summary>The progress of the probe running now, when the source's grain is active on this node and the source is the account's.</summary>
    public ProbeProgress? ProgressOf(long id, string account) => Owned(_sources.GetValueOrDefault(id), account)?.Progress;

    /// <summary>The entry, when there is one and its source is the account's.</summary>
    private static Published? Owned(Published? published, string account) => published?.Record.Account == account ? published : null;

    /// <summary>How a source is shown as of now: its status for this moment, and the progress of the probe running, if one is.</summary>
    public static SourceRecord View(SourceRecord record, ProbeProgress? progress, DateTimeOffset now, ProbeSettings settings) =>
        record with { Status = SourceHealth.StatusAt(record, now, settings), Progress = progress };

    /// <summary>Called by the source's grain only, on its own turn.</summary>
    internal void Publish(object owner, SourceRecord record, ProbeProgress? progress) =>
        _sources[record.Id] = new Published(owner, record, progress);

    /// <summary>Called by the source's grain only: removes its entry, never a later activation's.</summary>
    internal void Withdraw(object owner, long id)
    {
        if (_sources.TryGetValue(id, out var published) && published.Owner == owner)
            _sources.TryRemove(new KeyValuePair<long, Published>(id, published));
    }

    /// <summary>A class, so that withdrawing compares entries by reference.</summary>
    private sealed class Published(object owner, SourceRecord record, ProbeProgress? progress)
    {
        public object Owner { get; } = owner;
        public SourceRecord Record { get; } = record;
        public ProbeProgress? Progress { get; } = progress;
    }
}
