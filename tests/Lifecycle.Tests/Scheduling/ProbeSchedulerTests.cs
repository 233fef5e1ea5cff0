using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Probing;
using Sources.Silo.Scheduling;
using Sources.TestServers;

namespace Sources.Lifecycle.Tests.Scheduling;

/// <summary>
/// The scheduler's rules, with probers the test controls and a clock it moves: lanes, shares,
/// the deadline counted from the ask, and drivers that outlive their deadline.
/// </summary>
public sealed class ProbeSchedulerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    private ProbeScheduler Scheduler(int capacity, int perAccount = 0, params IProber[] probers) => new(
        new ProbeRunner(probers, Settings(capacity, perAccount), NullLogger<ProbeRunner>.Instance),
        Settings(capacity, perAccount), _time, NullLogger<ProbeScheduler>.Instance);

    private static ProbeSettings Settings(int capacity, int perAccount) =>
        new() { Deadline = Deadline, Concurrency = capacity, PerAccount = perAccount };

    private static ProbeRequest Ask(string account, string name, string type = "GATED") =>
        new(account, name.GetHashCode(), type, GatedProber.Named(name), []);

    [Fact]
    public async Task An_interactive_probe_that_cannot_start_by_its_deadline_says_so_and_is_not_a_result()
    {
        var slow = new GatedProber("SLOW", deadline: TimeSpan.FromMinutes(5));
        var scheduler = Scheduler(capacity: 1, perAccount: 1, slow, new GatedProber());
        scheduler.Schedule(Ask("a", "long", "SLOW"), ProbeLane.Interactive);
        await slow.NextStart();

        var waiting = scheduler.Schedule(Ask("b", "quick"), ProbeLane.Interactive);
        _time.Advance(Deadline - TimeSpan.FromMilliseconds(1));
        Assert.False(waiting.Result.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var outcome = await waiting.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(outcome.Ran);
        Assert.Equal(ProbeOutcome.Timeout, outcome.Result.Outcome);
        Assert.Contains("could not start within 10 s", outcome.Result.Message);
        Assert.Equal(0, scheduler.Waiting(ProbeLane.Interactive));
    }

    [Fact]
    public async Task An_interactive_probe_gets_what_is_left_of_its_deadline()
    {
        var prober = new GatedProber();
        var scheduler = Scheduler(capacity: 1, perAccount: 1, prober);
        scheduler.Schedule(Ask("a", "first"), ProbeLane.Interactive);
        var first = await prober.NextStart();

        _time.Advance(TimeSpan.FromSeconds(4));
        var second = scheduler.Schedule(Ask("b", "second"), ProbeLane.Interactive);
        _time.Advance(TimeSpan.FromSeconds(3));
        first.Succeed();

        var started = await prober.NextStart();
        Assert.Equal("second", started.Name);
        Assert.Equal(TimeSpan.FromSeconds(7), started.Context.Budget);
        started.Succeed();
        Assert.True((await second.Result).Ran);
    }

    [Fact]
    public async Task A_probe_that_has_started_answers_timeout_at_its_deadline()
    {
        var prober = new GatedProber();
        var scheduler = Scheduler(capacity: 4, perAccount: 0, prober);
        var probe = scheduler.Schedule(Ask("a", "hangs"), ProbeLane.Interactive);
        var call = await prober.NextStart();
        Assert.Equal(Deadline, call.Context.Budget);

        _time.Advance(Deadline);
        var outcome = await probe.Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(outcome.Ran);
        Assert.Equal(ProbeOutcome.Timeout, outcome.Result.Outcome);
        Assert.True(call.Token.IsCancellationRequested);
    }

    [Fact]
    public async Task Interactive_probes_find_room_while_background_work_fills_its_part()
    {
        var prober = new GatedProber();
        var scheduler = Scheduler(capacity: 4, perAccount: 100, prober);
        for (var i = 0; i < 10; i++)
            scheduler.Schedule(Ask("sweep", $"bg{i}"), ProbeLane.Background);
        for (var i = 0; i < 3; i++)
            Assert.StartsWith("bg", (await prober.NextStart()).Name);
        Assert.Equal(3, scheduler.BackgroundLimit);
        Assert.Equal(0, scheduler.BackgroundRoom);

        scheduler.Schedule(Ask("user", "test"), ProbeLane.Interactive);
        Assert.Equal("test", (await prober.NextStart()).Name);
        Assert.Equal(4, scheduler.Running);
        Assert.Equal(7, scheduler.Waiting(ProbeLane.Background));
    }

    [Fact]
    public async Task Background_work_gets_every_fourth_start_while_both_lanes_wait()
    {
        var prober = new GatedProber();
        var scheduler = Scheduler(capacity: 1, perAccount: 100, prober);
        scheduler.Schedule(Ask("u", "first"), ProbeLane.Interactive);
        var running = await prober.NextStart();
        for (var i = 0; i < 8; i++)
            scheduler.Schedule(Ask("u", $"i{i}"), ProbeLane.Interactive);
        scheduler.Schedule(Ask("sweep", "bg"), ProbeLane.Background);

        var order = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            running.Succeed();
            running = await prober.NextStart();
            order.Add(running.Name);
        }
        Assert.Contains("bg", order.Take(4));
    }

    [Fact]
    public async Task Accounts_take_turns_whatever_one_of_them_has_waiting()
    {
        var prober = new GatedProber();
        var scheduler = Scheduler(capacity: 1, perAccount: 1, prober);
        for (var i = 0; i < 100; i++)
            scheduler.Schedule(Ask("crowd", $"crowd{i}"), ProbeLane.Interactive);
        var running = await prober.NextStart();
        scheduler.Schedule(Ask("other", "mine"), ProbeLane.Interactive);

        running.Succeed();
        Assert.Equal("mine", (await prober.NextStart()).Name);
    }

    [Fact]
    public async Task An_account_has_at_most_its_share_in_flight_and_another_account_starts_at_once()
    {
        var prober = new GatedProber();
        var scheduler = Scheduler(capacity: 100, perAccount: 3, prober);
        for (var i = 0; i < 50; i++)
            scheduler.Schedule(Ask("crowd", $"crowd{i}"), ProbeLane.Interactive);
        for (var i = 0; i < 3; i++)
            await prober.NextStart();

        scheduler.Schedule(Ask("other", "mine"), ProbeLane.Interactive);
        Assert.Equal("mine", (await prober.NextStart()).Name);
        Assert.Equal(4, scheduler.Running);
        Assert.Equal(47, scheduler.Waiting(ProbeLane.Interactive));
    }

    [Fact]
    public async Task A_driver_that_ignores_cancellation_stops_counting_against_the_capacity_at_its_deadline()
    {
        var stubborn = new GatedProber(ignoresCancellation: true);
        var scheduler = Scheduler(capacity: 1, perAccount: 1, stubborn);
        var first = scheduler.Schedule(Ask("a", "stubborn"), ProbeLane.Interactive);
        var hanging = await stubborn.NextStart();
        // Asked a second later, so its own start-by limit is still a second away when the first's deadline passes.
        _time.Advance(TimeSpan.FromSeconds(1));
        var second = scheduler.Schedule(Ask("b", "next"), ProbeLane.Interactive);

        _time.Advance(Deadline - TimeSpan.FromSeconds(1));
        Assert.Equal(ProbeOutcome.Timeout, (await first.Result.WaitAsync(TimeSpan.FromSeconds(10))).Result.Outcome);
        var next = await stubborn.NextStart();
        Assert.Equal("next", next.Name);
        Assert.Equal(1, scheduler.Draining);

        hanging.Succeed(); // the driver finally ends
        next.Succeed();
        Assert.True((await second.Result).Ran);
        await Poll.Until(() => scheduler.Running == 0 && scheduler.Draining == 0 ? "idle" : null,
            TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10), "the drained driver to be counted out");
    }

    [Fact]
    public async Task An_account_whose_drivers_keep_hanging_fills_only_its_own_share()
    {
        var stubborn = new GatedProber(ignoresCancellation: true);
        var scheduler = Scheduler(capacity: 2, perAccount: 1, stubborn);
        scheduler.Schedule(Ask("bad", "hang1"), ProbeLane.Interactive);
        await stubborn.NextStart();
        _time.Advance(Deadline); // hang1 drains: the account's draining share is full
        scheduler.Schedule(Ask("bad", "hang2"), ProbeLane.Interactive);
        Assert.Equal("hang2", (await stubborn.NextStart()).Name);
        _time.Advance(Deadline); // hang2 cannot drain: it keeps its place
        scheduler.Schedule(Ask("bad", "hang3"), ProbeLane.Interactive);

        scheduler.Schedule(Ask("good", "mine"), ProbeLane.Interactive);
        Assert.Equal("mine", (await stubborn.NextStart()).Name);
        Assert.Equal(1, scheduler.Draining);
        Assert.False(stubborn.HasStarted(out _));
        Assert.Equal(1, scheduler.Waiting(ProbeLane.Interactive));
    }

    [Fact]
    public async Task Work_that_waits_while_no_probe_starts_or_ends_shows_how_long_until_one_does()
    {
        var stubborn = new GatedProber(ignoresCancellation: true);
        var scheduler = Scheduler(capacity: 1, perAccount: 1, stubborn);
        scheduler.Schedule(Ask("a", "hang1"), ProbeLane.Interactive);
        await stubborn.NextStart();
        _time.Advance(Deadline); // hang1 drains, which fills the node's draining set
        scheduler.Schedule(Ask("b", "hang2"), ProbeLane.Interactive);
        var hang2 = await stubborn.NextStart();
        _time.Advance(Deadline); // hang2 cannot drain: it keeps the only place
        scheduler.Schedule(Ask("c", "waits"), ProbeLane.Background);
        Assert.Equal(TimeSpan.Zero, scheduler.WaitingWithoutProgress);

        _time.Advance(Deadline * 3);
        Assert.Equal(Deadline * 3, scheduler.WaitingWithoutProgress);
        Assert.True(scheduler.WaitingWithoutProgress > scheduler.LongestDeadline * 2);

        hang2.Succeed(); // the place comes back and the waiting probe starts
        Assert.Equal("waits", (await stubborn.NextStart()).Name);
        Assert.Equal(TimeSpan.Zero, scheduler.WaitingWithoutProgress);
    }

    [Fact]
    public async Task Someone_waiting_on_a_background_probe_moves_it_to_the_interactive_lane()
    {
        var prober = new GatedProber();
        var scheduler = Scheduler(capacity: 4, perAccount: 100, prober);
        for (var i = 0; i < 3; i++)
            scheduler.Schedule(Ask("sweep", $"bg{i}"), ProbeLane.Background);
        for (var i = 0; i < 3; i++)
            await prober.NextStart();
        var waiting = scheduler.Schedule(Ask("sweep", "due"), ProbeLane.Background);
        Assert.Equal(1, scheduler.Waiting(ProbeLane.Background));

        waiting.Hurry();
        Assert.Equal("due", (await prober.NextStart()).Name);
        Assert.Equal(ProbeLane.Interactive, waiting.Lane);
    }

    [Fact]
    public async Task A_target_that_refused_too_many_sign_ins_is_not_asked_again_while_the_hold_lasts()
    {
        var prober = new GatedProber("POSTGRES");
        var settings = Settings(capacity: 4, perAccount: 0);
        var limits = new Sources.Silo.Probing.Targets.AuthFailureLimits(new() { Max = 2, Window = TimeSpan.FromMinutes(15) }, _time);
        var scheduler = new ProbeScheduler(new ProbeRunner([prober], settings, NullLogger<ProbeRunner>.Instance),
            settings, _time, NullLogger<ProbeScheduler>.Instance, authFailures: limits);
        ProbeRequest Guess(int i) => new("a", i, "POSTGRES",
            new() { ["name"] = $"guess{i}", ["hostname"] = "victim.example.com", ["username"] = "etl", ["password"] = $"wrong{i}" }, []);

        for (var i = 0; i < 2; i++)
        {
            var guess = scheduler.Schedule(Guess(i), ProbeLane.Interactive);
            (await prober.NextStart()).Answer.TrySetResult(ProbeResult.Failed(ProbeOutcome.AuthFailed, "refused"));
            await guess.Result;
        }

        var held = await scheduler.Schedule(Guess(2), ProbeLane.Interactive).Result.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(ProbeOutcome.AuthFailed, held.Result.Outcome);
        Assert.Contains("holding back", held.Result.Message);
        Assert.False(prober.HasStarted(out _), "the target was asked a third time");
    }
}
