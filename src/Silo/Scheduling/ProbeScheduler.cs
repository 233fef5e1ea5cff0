using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Targets;

namespace Sources.Silo.Scheduling;

/// <summary>
/// Decides when each probe of this node runs and holds it to its deadline (docs/probing.md):
/// <list type="bullet">
/// <item>interactive probes go first; every fourth start goes to background work while both wait,
/// and background work never holds more than three quarters of the capacity, so a test always
/// finds room;</item>
/// <item>within a lane, accounts take turns, each with at most its share in flight;</item>
/// <item>an interactive probe's deadline counts from when it was asked: one that cannot start by
/// then answers so, one that started gets what is left of it;</item>
/// <item>a driver still running past its deadline stops counting against the capacity and moves to
/// a bounded draining set (an account's drivers that keep hanging fill only its own share).</item>
/// </list>
/// A probe waiting on a socket holds no thread, so the capacity is in the thousands; calls that
/// block a thread go to <see cref="Blocking"/>.
/// Two clocks: the node's <see cref="TimeProvider"/> stamps results and marks (the time of day the
/// grains and the sweep share), and the <see cref="DeadlineClock"/> times what a probe's real I/O
/// takes: its deadline, its latency and the wedge check. Both are the system clock in the service.
/// </summary>
public sealed partial class ProbeScheduler
{
    private const int Interactive = (int)ProbeLane.Interactive;
    private const int Background = (int)ProbeLane.Background;

    /// <summary>The key of the <see cref="TimeProvider"/> that times probes (the system clock unless a test replaces it).</summary>
    public const string DeadlineClock = "Sources.ProbeDeadlines";

    private readonly ProbeRunner _runner;
    private readonly TimeProvider _time;
    private readonly TimeProvider _deadlines;
    private readonly ILogger<ProbeScheduler> _logger;
    private readonly Lock _lock = new();
    private readonly FairQueue[] _lanes = [new(ProbeLane.Interactive), new(ProbeLane.Background)];
    private readonly Dictionary<string, AccountShare> _accounts = new(StringComparer.Ordinal);
    private readonly Func<AccountShare, bool> _hasRoom;
    private int _running;
    private int _runningBackground;
    private TaskCompletionSource _backgroundFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _draining;
    private int _turn;
    // When a probe last started or ended, or work began to wait on an idle queue (a timestamp).
    private long _progressAt;

    private readonly ProbeMetrics _metrics;
    private readonly AuthFailureLimits? _authFailures;
    private readonly IProbeMarks? _marks;

    /// <param name="deadlines">The clock that times probes; without one, <paramref name="time"/> does both.</param>
    public ProbeScheduler(ProbeRunner runner, ProbeSettings settings, TimeProvider time, ILogger<ProbeScheduler> logger,
        ProbeMetrics? metrics = null, AuthFailureLimits? authFailures = null, IProbeMarks? marks = null, BlockingWork? blocking = null,
        [FromKeyedServices(DeadlineClock)] TimeProvider? deadlines = null)
    {
        _marks = marks;
        _runner = runner;
        _metrics = metrics ?? new ProbeMetrics();
        _authFailures = authFailures;
        _time = time;
        _deadlines = deadlines ?? time;
        _logger = logger;
        Capacity = settings.Capacity;
        AccountLimit = settings.AccountShare;
        BackgroundLimit = Math.Max(1, Capacity - Capacity / 4);
        DrainingLimit = Capacity;
        Blocking = blocking ?? new BlockingWork(settings.BlockingThreadCount);
        _hasRoom = account => account.Running < AccountLimit;
        _metrics.Observe(this);
    }

    /// <summary>Probes in flight at once on this node.</summary>
    public int Capacity { get; }

    /// <summary>Probes of one account in flight at once.</summary>
    public int AccountLimit { get; }

    /// <summary>The most background probes in flight at once: the rest of the capacity is kept for interactive ones.</summary>
    public int BackgroundLimit { get; }

    /// <summary>The most probes given up at their deadline whose drivers may still be running.</summary>
    public int DrainingLimit { get; }

    /// <summary>The longest any probe may take.</summary>
    public TimeSpan LongestDeadline => _runner.LongestDeadline;

    /// <summary>Where probes run calls that block a thread.</summary>
    public BlockingWork Blocking { get; }

    public int Running { get { lock (_lock) return _running; } }

    public int Draining { get { lock (_lock) return _draining; } }

    public int Waiting(ProbeLane lane) { lock (_lock) return _lanes[(int)lane].Count; }

    /// <summary>
    /// How long probes have waited while none started or ended on this node; zero while none waits.
    /// Every running probe ends or moves to draining by its deadline, so a healthy node makes
    /// progress within <see cref="LongestDeadline"/> while work waits; past it, the node is wedged
    /// (its capacity held by drivers that neither end nor may drain).
    /// </summary>
    public TimeSpan WaitingWithoutProgress
    {
        get
        {
            lock (_lock)
                return _lanes[Interactive].Count + _lanes[Background].Count == 0 ? TimeSpan.Zero : _deadlines.GetElapsedTime(_progressAt);
        }
    }

    /// <summary>
    /// How many more background probes could start now: what the health sweep may claim. Probes
    /// waiting for their own account's share to free take none of it: they start only when their
    /// account's own probes end, and the sweep claims no more of theirs meanwhile (<see cref="AccountsWithoutRoom"/>).
    /// </summary>
    public int BackgroundRoom
    {
        get
        {
            lock (_lock)
            {
                var waiting = _lanes[Background].Count;
                foreach (var account in _accounts.Values)
                    if (!_hasRoom(account))
                        waiting -= account.Waiting[Background].Count;
                return Math.Max(0, BackgroundLimit - _runningBackground - waiting);
            }
        }
    }

    /// <summary>
    /// The accounts that have their whole share in flight or waiting, so a further probe of theirs
    /// would only wait: the health sweep leaves their due checks in the table, for other accounts'
    /// checks to use the room.
    /// </summary>
    public string[] AccountsWithoutRoom
    {
        get
        {
            lock (_lock)
                return [.. _accounts.Values.Where(a => a.Running + a.Waiting[Interactive].Count + a.Waiting[Background].Count >= AccountLimit).Select(a => a.Name)];
        }
    }

    /// <summary>
    /// Completes when <see cref="BackgroundRoom"/> may next have grown (a background probe ends or
    /// moves to draining): what the health sweep waits on when it has claimed all the room there was.
    /// </summary>
    public Task BackgroundFreed
    {
        get { lock (_lock) return _backgroundFreed.Task; }
    }

    public ScheduledProbe Schedule(ProbeRequest request, ProbeLane lane)
    {
        // Worked out once, outside the lock: FILE's grows with its files.
        var probe = new ScheduledProbe(this, request, lane, _runner.DeadlineFor(request.Type, request.Settings));
        List<(ScheduledProbe, TimeSpan)>? start;
        lock (_lock)
        {
            probe.Account = ShareOf(request.Account);
            Enqueue(probe, lane);
            start = TakeStartable();
        }
        StartAll(start);
        return probe;
    }

    internal void Hurry(ScheduledProbe probe)
    {
        List<(ScheduledProbe, TimeSpan)>? start;
        lock (_lock)
        {
            if (probe.Started || probe.Queued is null || probe.Lane == ProbeLane.Interactive)
                return;
            _lanes[Background].Remove(probe.Account!, probe);
            Enqueue(probe, ProbeLane.Interactive);
            start = TakeStartable();
        }
        StartAll(start);
    }

    private AccountShare ShareOf(string account)
    {
        if (!_accounts.TryGetValue(account, out var share))
            _accounts[account] = share = new AccountShare(account);
        return share;
    }

    /// <summary>Queues a probe; an interactive one is given up if it has not started by its deadline.</summary>
    private void Enqueue(ScheduledProbe probe, ProbeLane lane)
    {
        probe.Lane = lane;
        probe.AskedAt = _deadlines.GetTimestamp();
        if (_lanes[Interactive].Count + _lanes[Background].Count == 0)
            _progressAt = probe.AskedAt;
        _lanes[(int)lane].Enqueue(probe.Account!, probe);
        if (lane == ProbeLane.Interactive)
            probe.StartBy = _deadlines.CreateTimer(state => GiveUp((ScheduledProbe)state!), probe, probe.Limit, Timeout.InfiniteTimeSpan);
    }

    private void GiveUp(ScheduledProbe probe)
    {
        lock (_lock)
        {
            if (probe.Started || probe.Queued is null)
                return;
            _lanes[(int)probe.Lane].Remove(probe.Account!, probe);
            Forget(probe.Account!);
        }
        probe.StartBy?.Dispose();
        _metrics.Ended(probe.Request.Type, probe.Lane, ProbeOutcome.Timeout, ran: false, TimeSpan.Zero);
        var notStarted = ProbeResult.Failed(ProbeOutcome.Timeout,
            $"The check could not start within {probe.Limit.TotalSeconds:0.#} s: this node is busy with other checks. Try again shortly.");
        probe.Completion.TrySetResult(new ScheduledResult(notStarted with { CheckedAt = _time.GetUtcNow() }, Ran: false));
    }

    /// <summary>Takes what may start now, in lane and account order; under the lock.</summary>
    private List<(ScheduledProbe, TimeSpan)>? TakeStartable()
    {
        List<(ScheduledProbe, TimeSpan)>? start = null;
        while (_running < Capacity)
        {
            var backgroundMay = _runningBackground < BackgroundLimit;
            var backgroundsTurn = backgroundMay && _lanes[Background].Count > 0 && _lanes[Interactive].Count > 0 && (++_turn & 3) == 0;
            var next = backgroundsTurn
                ? _lanes[Background].Take(_hasRoom) ?? _lanes[Interactive].Take(_hasRoom)
                : _lanes[Interactive].Take(_hasRoom) ?? (backgroundMay ? _lanes[Background].Take(_hasRoom) : null);
            if (next is null)
                break;
            next.Started = true;
            _progressAt = _deadlines.GetTimestamp();
            _running++;
            next.Account!.Running++;
            if (next.Lane == ProbeLane.Background)
                _runningBackground++;
            (start ??= []).Add((next, BudgetOf(next)));
        }
        return start;
    }

    /// <summary>An interactive probe has what is left of its deadline; a background probe all of it.</summary>
    private TimeSpan BudgetOf(ScheduledProbe probe)
    {
        if (probe.Lane == ProbeLane.Background)
            return probe.Limit;
        var left = probe.Limit - _deadlines.GetElapsedTime(probe.AskedAt);
        return left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1);
    }

    private void StartAll(List<(ScheduledProbe Probe, TimeSpan Budget)>? start)
    {
        if (start is null) return;
        foreach (var (probe, budget) in start)
        {
            probe.StartBy?.Dispose();
            _ = Run(probe, budget);
        }
    }

    private async Task Run(ScheduledProbe probe, TimeSpan budget)
    {
        var request = probe.Request;
        var cancel = new CancellationTokenSource(budget, _deadlines);
        // A stored source's heavy work is marked first, so a check that takes the node down is not run again by itself (a trial has no source to hold back).
        var mark = _marks is not null && request.SourceId > 0 ? new HeavyWorkMark(_marks, request.SourceId, _time, _logger) : null;
        var context = new ProbeContext(request.SourceId, request.Progress)
        {
            Account = request.Account, Budget = budget, Blocking = mark is null ? Blocking : Blocking.Marking(mark),
        };
        var started = _deadlines.GetTimestamp();
        var span = ProbeTracing.Start(request, probe.Lane);
        // A target that has refused too many sign-ins lately is not asked again yet (it may lock its account).
        var heldBack = _authFailures?.Refusal(request.Type, request.Settings);
        var driver = heldBack is not null ? Task.FromResult(heldBack) : _runner.Probe(request.Type, request.Settings, context, cancel.Token);
        ProbeResult result;
        try
        {
            // Ends at the deadline even if the driver ignores its token.
            result = await driver.WaitAsync(budget, _deadlines).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            result = ProbeRunner.TimedOut(budget);
        }
        if (heldBack is null && driver.IsCompleted)
            _authFailures?.Record(request.Type, request.Settings, result);
        var took = _deadlines.GetElapsedTime(started);
        // A result recorded means a check that finished: its mark goes first, so a node that stops right after leaves none.
        if (mark is not null && driver.IsCompleted)
            await mark.Ended().ConfigureAwait(false);
        _metrics.Ended(request.Type, probe.Lane, result.Outcome, ran: true, took);
        ProbeTracing.Ended(span, result.Outcome);
        var bounded = ResultBounds.Apply(result);
        // Trials (negative ids) keep nothing, so their discovery has no pages to come back to.
        probe.Completion.TrySetResult(new ScheduledResult(DiscoveryPages.Split(bounded with
        {
            Message = ProbeRunner.Scrub(bounded.Message, request.SecretValues),
            LatencyMs = Math.Round(took.TotalMilliseconds, 1),
            CheckedAt = _time.GetUtcNow(),
        }, keepsPages: request.SourceId > 0), Ran: true));

        if (driver.IsCompleted)
        {
            cancel.Dispose();
            Ended(probe, wasDraining: false);
            return;
        }
        bool draining;
        List<(ScheduledProbe, TimeSpan)>? start = null;
        lock (_lock)
        {
            var account = probe.Account!;
            draining = _draining < DrainingLimit && account.Draining < AccountLimit;
            if (draining)
            {
                Release(probe);
                _draining++;
                account.Draining++;
                start = TakeStartable();
            }
        }
        StartAll(start);
        if (draining)
            Drains(_logger, request.Type, request.SourceId, budget.TotalSeconds);
        else
            HoldsCapacity(_logger, request.Type, request.SourceId, budget.TotalSeconds);
        _ = driver.ContinueWith(_ =>
        {
            cancel.Dispose();
            if (mark is not null) _ = mark.Ended();
            Ended(probe, draining);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Ended(ScheduledProbe probe, bool wasDraining)
    {
        List<(ScheduledProbe, TimeSpan)>? start;
        lock (_lock)
        {
            if (wasDraining)
            {
                _draining--;
                probe.Account!.Draining--;
            }
            else
            {
                Release(probe);
            }
            Forget(probe.Account!);
            start = TakeStartable();
        }
        StartAll(start);
    }

    private void Release(ScheduledProbe probe)
    {
        _progressAt = _deadlines.GetTimestamp();
        _running--;
        probe.Account!.Running--;
        if (probe.Lane == ProbeLane.Background)
        {
            _runningBackground--;
            var freed = _backgroundFreed;
            _backgroundFreed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            freed.TrySetResult();
        }
    }

    private void Forget(AccountShare account)
    {
        if (account.Idle)
            _accounts.Remove(account.Name);
    }

    // Debug: an unreachable source can do this on every check; the draining gauge shows how many at once.
    [LoggerMessage(Level = LogLevel.Debug, Message = "A {Type} probe of source {SourceId} still runs after its {Budget} s deadline; it no longer counts against the capacity while it drains")]
    private static partial void Drains(ILogger logger, string type, long sourceId, double budget);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Type} probe of source {SourceId} still runs after its {Budget} s deadline and keeps its place: its account or the node has as many draining probes as allowed")]
    private static partial void HoldsCapacity(ILogger logger, string type, long sourceId, double budget);
}
