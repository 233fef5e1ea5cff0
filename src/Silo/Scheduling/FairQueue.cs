namespace Sources.Silo.Scheduling;

/// <summary>
/// The probes waiting in one lane, taken in turn across accounts: each take goes to the next
/// account in the ring that has room under its share, and within an account in arrival order.
/// An account with ten thousand waiting probes is one place in the ring, like an account with one,
/// and an account that starts waiting enters the ring at its front.
/// Not thread-safe: the scheduler holds its lock around every call.
/// </summary>
internal sealed class FairQueue(ProbeLane lane)
{
    private readonly LinkedList<AccountShare> _ring = new();

    public int Count { get; private set; }

    public void Enqueue(AccountShare account, ScheduledProbe probe)
    {
        probe.Queued = account.Waiting[(int)lane].AddLast(probe);
        Count++;
        // An account that had nothing waiting goes first: it had the least of this lane lately.
        account.InRing[(int)lane] ??= _ring.AddFirst(account);
    }

    public void Remove(AccountShare account, ScheduledProbe probe)
    {
        var waiting = account.Waiting[(int)lane];
        waiting.Remove(probe.Queued!);
        probe.Queued = null;
        Count--;
        if (waiting.Count == 0 && account.InRing[(int)lane] is { } place)
        {
            _ring.Remove(place);
            account.InRing[(int)lane] = null;
        }
    }

    /// <summary>The next probe of the next account that <paramref name="hasRoom"/>, or null when none has.</summary>
    public ScheduledProbe? Take(Func<AccountShare, bool> hasRoom)
    {
        for (var tries = _ring.Count; tries > 0; tries--)
        {
            var place = _ring.First!;
            _ring.RemoveFirst();
            _ring.AddLast(place);
            if (!hasRoom(place.Value))
                continue;
            var probe = place.Value.Waiting[(int)lane].First!.Value;
            Remove(place.Value, probe);
            return probe;
        }
        return null;
    }
}

/// <summary>One account's part of a node's probing: what it has running and draining, and what waits.</summary>
internal sealed class AccountShare(string name)
{
    public string Name { get; } = name;

    /// <summary>Probes started and not yet ended or given up.</summary>
    public int Running;

    /// <summary>Probes given up at their deadline whose driver has not ended yet.</summary>
    public int Draining;

    public readonly LinkedList<ScheduledProbe>[] Waiting = [new(), new()];

    public readonly LinkedListNode<AccountShare>?[] InRing = new LinkedListNode<AccountShare>?[2];

    public bool Idle => Running == 0 && Draining == 0 && Waiting[0].Count == 0 && Waiting[1].Count == 0;
}
