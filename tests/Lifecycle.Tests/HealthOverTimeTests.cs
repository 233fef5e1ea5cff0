using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// Periodic checks, on a fake clock: moving it on by the check interval makes the next check fall
/// due and the sweep claim it, so no test waits for a real interval. The probes themselves still
/// reach the real PostgreSQL, timed by the system clock (docs/probing.md). Each test waits for the
/// state it expects by asking the grain, never by sleeping.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HealthOverTimeTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_server_that_stops_turns_the_source_failing_and_healthy_again_when_it_is_back()
    {
        var data = Directory.CreateTempSubdirectory("sources-health-").FullName;
        await using (var silo = await SiloHost.Start(data, interval: Interval, time: _clock))
        {
            var grain = silo.Grains.GetGrain<ISourceGrain>(2001);
            await grain.Register(SiloHost.Account, silo.Postgres(2001, postgres.Server.Port, PostgresFixture.User, PostgresFixture.Password, PostgresFixture.Database));
            var first = await silo.WaitFor(2001, r => r.Status == SourceStatus.Healthy, "healthy");

            await postgres.Server.StopAsync();
            try
            {
                var failing = await silo.WaitFor(2001, r => r.Status == SourceStatus.Failing, "failing after the server stopped", advancing: _clock);
                Assert.Equal(ProbeOutcome.Unreachable, failing.LastProbe!.Outcome);
                // Checked when the node's clock said it was due, however little real time went by.
                Assert.True(failing.LastProbe.CheckedAt - first.LastProbe!.CheckedAt >= Interval - Interval / 10);
            }
            finally
            {
                await postgres.Server.StartAgainAsync();
            }
            var healthy = await silo.WaitFor(2001, r => r.Status == SourceStatus.Healthy, "healthy again at a later check", advancing: _clock);
            Assert.Contains(healthy.History, h => h.Outcome == ProbeOutcome.Unreachable);
            Assert.True(healthy.History.Length >= 3);
        }
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task Checks_resume_after_a_restart_in_embedded_mode() =>
        await ChecksResumeAfterRestart(postgresStorage: null);

    [Fact]
    public async Task Checks_resume_after_a_restart_in_postgres_mode() =>
        await ChecksResumeAfterRestart(await postgres.Server.CreateDatabaseAsync());

    private async Task ChecksResumeAfterRestart(string? postgresStorage)
    {
        var data = Directory.CreateTempSubdirectory("sources-restart-").FullName;
        const long id = 3001;
        await using (var first = await SiloHost.Start(data, postgresStorage, interval: Interval, time: _clock))
        {
            await first.Grains.GetGrain<ISourceGrain>(id).Register(SiloHost.Account,
                first.Postgres(id, postgres.Server.Port, PostgresFixture.User, PostgresFixture.Password, PostgresFixture.Database));
            await first.WaitFor(id, r => r.LastProbe is not null, "the first probe");
        }

        var restartedAt = _clock.GetUtcNow();
        await using (var second = await SiloHost.Start(data, postgresStorage, interval: Interval, time: _clock))
        {
            // Nothing calls the grain but this read; a new result can only come from the health sweep.
            var record = await second.WaitFor(id, r => r.LastProbe!.CheckedAt > restartedAt, "a check after the restart", advancing: _clock);
            Assert.Equal(ProbeOutcome.Ok, record.LastProbe!.Outcome);
        }
        Directory.Delete(data, recursive: true);
    }
}
