using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Scheduling;
using Sources.Silo.Storage.Sources;
using Sources.TestServers;

namespace Sources.Lifecycle.Tests.Scheduling;

/// <summary>
/// The health sweep claims only what the node's scheduler can start: checks it cannot start stay
/// due in the sources table (where they show as lag) instead of queuing in the scheduler. The
/// node's clock is fake, so the sweep runs when the test moves it on; its sources point at a
/// listener that accepts and never answers, so every started probe holds its place until the
/// listener goes. As probes end, the same sweep claims more, until nothing is due.
/// </summary>
public sealed class SweepClaimTests : IDisposable
{
    private const int Capacity = 8;
    private const int Due = 20;

    private readonly string _data = Directory.CreateTempSubdirectory("sources-sweep-").FullName;
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    public void Dispose() => Directory.Delete(_data, recursive: true);

    /// <summary>A node of <see cref="Capacity"/> probes (background at most three quarters of it) on the fake clock, probes timed out after a minute.</summary>
    private Task<SiloHost> Node(int perAccount) => SiloHost.Start(_data, interval: TimeSpan.FromMinutes(15), deadline: TimeSpan.FromMinutes(1), time: _clock,
        settings: new Dictionary<string, string?> { ["Sources:Probe:Concurrency"] = $"{Capacity}", ["Sources:Probe:PerAccount"] = $"{perAccount}" });

    [Fact]
    public async Task A_sweep_claims_no_more_due_checks_than_the_scheduler_has_background_room_for()
    {
        await using var silent = new SilentListener();
        await using (var silo = await Node(perAccount: Capacity))
        {
            var scheduler = silo.Services.GetRequiredService<ProbeScheduler>();
            using var lag = new SweepLag(silo.Services.GetRequiredService<IMeterFactory>().Create(ProbeMetrics.MeterName));
            var ids = Enumerable.Range(1, Due).Select(i => 7000L + i).ToArray();
            foreach (var id in ids)
                await StoreDue(silo, id, silent.Port, _clock.GetUtcNow() - TimeSpan.FromMinutes(1));

            _clock.Advance(TimeSpan.FromSeconds(30)); // one sweep period (a quarter of the interval, at most 30 s)
            await Poll.Until(() => lag.Read() > 0 ? "ended" : null, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30), "the sweep to end, leaving checks due");

            Assert.Equal(scheduler.BackgroundLimit, scheduler.Running);
            Assert.Equal(0, scheduler.Waiting(ProbeLane.Background));
            var store = silo.Services.GetRequiredService<SourceStore>();
            var claimed = 0;
            foreach (var id in ids)
                if ((await store.Read(id))!.Row.DueAt > _clock.GetUtcNow())
                    claimed++;
            Assert.Equal(scheduler.BackgroundLimit, claimed);
        }
    }

    [Fact]
    public async Task As_probes_end_the_same_sweep_claims_more_until_nothing_is_due()
    {
        var silent = new SilentListener();
        await using (var silo = await Node(perAccount: Capacity))
        {
            var scheduler = silo.Services.GetRequiredService<ProbeScheduler>();
            var ids = Enumerable.Range(1, Due).Select(i => 7100L + i).ToArray();
            foreach (var id in ids)
                await StoreDue(silo, id, silent.Port, _clock.GetUtcNow() - TimeSpan.FromMinutes(1));
            _clock.Advance(TimeSpan.FromSeconds(30)); // one sweep period
            await Poll.Until(() => scheduler.Running == scheduler.BackgroundLimit ? "full" : null,
                TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30), "the background room taken");

            // The black holes hang up, so their probes end, and the rest find the port closed.
            await silent.DisposeAsync();
            var sweptAt = _clock.GetUtcNow();
            // Only the sweep's short pause between claims is moved on, never a whole period: no later sweep runs.
            await Poll.Until(async () =>
            {
                _clock.Advance(TimeSpan.FromMilliseconds(100));
                foreach (var id in ids)
                    if (await Stored(silo, id) is not { LastProbe: not null })
                        return null;
                return "all";
            }, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30), "every due source checked");

            Assert.True(_clock.GetUtcNow() - sweptAt < TimeSpan.FromSeconds(30), $"checked only after {_clock.GetUtcNow() - sweptAt} on the node's clock");
        }
    }

    [Fact]
    public async Task An_account_whose_share_is_taken_leaves_its_due_checks_for_other_accounts_to_use_the_room()
    {
        await using var silent = new SilentListener();
        await using (var silo = await Node(perAccount: 3))
        {
            var scheduler = silo.Services.GetRequiredService<ProbeScheduler>();
            using var lag = new SweepLag(silo.Services.GetRequiredService<IMeterFactory>().Create(ProbeMetrics.MeterName));
            // The crowd's checks fell due first, so a sweep that ignored shares would claim them first.
            var crowd = Enumerable.Range(1, 12).Select(i => 7200L + i).ToArray();
            var other = Enumerable.Range(1, 3).Select(i => 7300L + i).ToArray();
            foreach (var id in crowd)
                await StoreDue(silo, id, silent.Port, _clock.GetUtcNow() - TimeSpan.FromMinutes(2), account: "crowd");
            foreach (var id in other)
                await StoreDue(silo, id, silent.Port, _clock.GetUtcNow() - TimeSpan.FromMinutes(1));

            _clock.Advance(TimeSpan.FromSeconds(30)); // one sweep period
            await Poll.Until(() => lag.Read() > 0 ? "ended" : null, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30), "the sweep to run out of room, leaving checks due");

            Assert.Equal(scheduler.BackgroundLimit, scheduler.Running); // the crowd's share and the other account's checks
            foreach (var id in other)
                Assert.True(await Claimed(silo, id, _clock), $"source {id} of the other account was left due");
            var crowdClaimed = 0;
            foreach (var id in crowd)
                crowdClaimed += await Claimed(silo, id, _clock) ? 1 : 0;
            Assert.InRange(crowdClaimed, 3, scheduler.BackgroundLimit);
        }
    }

    private static async Task<bool> Claimed(SiloHost silo, long id, TimeProvider clock) =>
        (await silo.Services.GetRequiredService<SourceStore>().Read(id))!.Row.DueAt > clock.GetUtcNow();

    /// <summary>A POSTGRES source on <paramref name="port"/> whose check fell due at <paramref name="dueAt"/>, stored as its grain stores one.</summary>
    private static async Task StoreDue(SiloHost silo, long id, int port, DateTimeOffset dueAt, string account = SiloHost.Account)
    {
        var config = silo.Postgres(id, port, "u", "p", "db");
        var record = new SourceRecord
        {
            Id = id, Account = account, Type = config.Type, AccountName = config.AccountName, SettingsJson = config.SettingsJson,
            SealedSecrets = config.SealedSecrets, SecretsSet = config.SecretsSet, CreatedAt = dueAt, UpdatedAt = dueAt, Version = 1, NextCheckAt = dueAt,
        };
        Assert.True(await State(silo, id).Insert(record));
    }

    private static Task<SourceRecord?> Stored(SiloHost silo, long id) => State(silo, id).Read();

    private static SourceState State(SiloHost silo, long id) =>
        new(id, silo.Services.GetRequiredService<SourceStore>(), silo.Services.GetRequiredService<Serializer<SourceRecord>>(), TimeSpan.FromMinutes(1));

    /// <summary>This node's <c>sources.sweep.lag</c> gauge: zero until a sweep ends with checks still due.</summary>
    private sealed class SweepLag : IDisposable
    {
        private readonly MeterListener _listener = new();
        private double _seconds;

        public SweepLag(Meter nodeMeter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == nodeMeter && instrument.Name == "sources.sweep.lag")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _seconds = value);
            _listener.Start();
        }

        public double Read()
        {
            _listener.RecordObservableInstruments();
            return _seconds;
        }

        public void Dispose() => _listener.Dispose();
    }
}
