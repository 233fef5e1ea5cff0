using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.TestServers;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// The life of POSTGRES sources in a real silo, against a real PostgreSQL. The node's clock is a
/// fake that stands still, so no periodic check runs between a test's own; deadlines are real.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLifecycleTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    private readonly string _data = Directory.CreateTempSubdirectory("sources-lifecycle-").FullName;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private SiloHost _silo = null!;
    private static long _nextId = 1000;

    private static long NewId() => Interlocked.Increment(ref _nextId);

    public async Task InitializeAsync() => _silo = await SiloHost.Start(_data, interval: Interval, deadline: TimeSpan.FromSeconds(3), time: _clock);

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private async Task<(long Id, ISourceGrain Grain)> Register(string password = PostgresFixture.Password, string database = PostgresFixture.Database, params string[] schemas)
    {
        var id = NewId();
        var grain = _silo.Grains.GetGrain<ISourceGrain>(id);
        var result = await grain.Register(SiloHost.Account, _silo.Postgres(id, postgres.Server.Port, PostgresFixture.User, password, database, schemas));
        Assert.Equal(ChangeOutcome.Done, result.Outcome);
        return (id, grain);
    }

    [Fact]
    public async Task A_working_source_is_healthy_with_its_version_and_what_is_inside()
    {
        var (id, grain) = await Register(schemas: ["sales"]);
        var result = await grain.Test(SiloHost.Account);

        Assert.Equal(ProbeOutcome.Ok, result!.Outcome);
        Assert.StartsWith("PostgreSQL ", result.ServerVersion);
        using var discovery = JsonDocument.Parse(result.DiscoveryJson!);
        Assert.Contains("sales", discovery.RootElement.GetProperty("schemas").EnumerateArray().Select(s => s.GetString()));
        var tables = discovery.RootElement.GetProperty("tables").EnumerateArray().Select(t => (t.GetProperty("name").GetString(), t.GetProperty("kind").GetString())).ToList();
        Assert.Contains(("orders", "table"), tables);
        Assert.Contains(("recent", "view"), tables);
        var record = await _silo.WaitFor(id, r => r.LastProbe is not null, "a recorded probe");
        Assert.Equal(SourceStatus.Healthy, record.Status);
    }

    [Fact]
    public async Task A_wrong_password_is_auth_failed_and_failing()
    {
        var (id, grain) = await Register(password: "not-the-password");
        var result = await grain.Test(SiloHost.Account);
        Assert.Equal(ProbeOutcome.AuthFailed, result!.Outcome);
        Assert.DoesNotContain("not-the-password", result.Message);
        Assert.Equal(SourceStatus.Failing, (await _silo.WaitFor(id, r => r.LastProbe is not null, "a recorded probe")).Status);
    }

    [Fact]
    public async Task An_unknown_database_is_not_found()
    {
        var (_, grain) = await Register(database: "no_such_db");
        Assert.Equal(ProbeOutcome.NotFound, (await grain.Test(SiloHost.Account))!.Outcome);
    }

    [Fact]
    public async Task A_missing_selected_schema_makes_the_source_degraded_naming_it()
    {
        var (id, grain) = await Register(schemas: ["sales", "marketing"]);
        var result = await grain.Test(SiloHost.Account);
        Assert.Equal(ProbeOutcome.Ok, result!.Outcome);
        Assert.Contains(result.Warnings, w => w.Contains("'marketing'"));
        Assert.Equal(SourceStatus.Degraded, (await _silo.WaitFor(id, r => r.LastProbe is not null, "a recorded probe")).Status);
    }

    [Fact]
    public async Task Each_auth_failure_in_a_row_pushes_the_next_check_further_out()
    {
        var (id, grain) = await Register(password: "wrong");
        var record = await _silo.WaitFor(id, r => r.AuthFailures >= 1, "the first auth failure");
        var waits = new List<TimeSpan> { record.NextCheckAt!.Value - record.LastProbe!.CheckedAt };
        for (var i = 0; i < 2; i++)
        {
            var before = record.AuthFailures;
            await grain.Test(SiloHost.Account);
            record = await _silo.WaitFor(id, r => r.AuthFailures > before, "one more auth failure");
            waits.Add(record.NextCheckAt!.Value - record.LastProbe!.CheckedAt);
        }
        // Twice the interval after the first failure, then four and eight times it, each less the early margin.
        var early = Interval / 10;
        Assert.Equal(new[] { Interval * 2 - early, Interval * 4 - early, Interval * 8 - early }, waits);
    }

    [Fact]
    public async Task A_read_during_a_slow_probe_answers_before_the_probe_ends()
    {
        await using var silent = new SilentListener();
        var id = NewId();
        var grain = _silo.Grains.GetGrain<ISourceGrain>(id);
        await grain.Register(SiloHost.Account, _silo.Postgres(id, silent.Port, "u", "p", "d"));

        var probe = grain.Test(SiloHost.Account);
        var read = await grain.Get(SiloHost.Account);

        Assert.NotNull(read);
        Assert.False(probe.IsCompleted, "the read should not have waited for the probe");
        Assert.Equal(ProbeOutcome.Timeout, (await probe)!.Outcome);
    }

    [Fact]
    public async Task Probes_of_one_source_never_overlap()
    {
        await using var silent = new SilentListener();
        var id = NewId();
        var grain = _silo.Grains.GetGrain<ISourceGrain>(id);
        await grain.Register(SiloHost.Account, _silo.Postgres(id, silent.Port, "u", "p", "d"));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => grain.Test(SiloHost.Account)));

        Assert.All(results, r => Assert.Equal(ProbeOutcome.Timeout, r!.Outcome));
        Assert.Equal(1, silent.MaxOpenAtOnce);
    }
}
