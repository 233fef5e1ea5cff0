using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Listing;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// Creates that run at once share commits (group commit); every one must be stored and listed,
/// newest first, after a restart as well, and listing them, filtered or not, asks no source's grain.
/// </summary>
public sealed class AccountIndexTests
{
    [Fact]
    public async Task Concurrent_creates_are_all_stored_and_listed_newest_first_after_a_restart_without_a_grain_call()
    {
        var data = Directory.CreateTempSubdirectory("sources-account-").FullName;
        var ids = Enumerable.Range(1, 200).Select(i => (long)i).ToArray();
        // No sweep: nothing but the listing may touch a source's grain after the restart.
        var quiet = new Dictionary<string, string?> { ["Sources:Probe:Sweep"] = "false" };
        await using (var silo = await SiloHost.Start(data, settings: quiet))
        {
            var created = await Task.WhenAll(ids.Select(id => silo.Grains.GetGrain<ISourceGrain>(id)
                .Register(SiloHost.Account, silo.Postgres(id, port: 9, "u", "p", "db") with { Type = id % 2 == 0 ? "POSTGRES" : "MYSQL" })));
            Assert.All(created, result => Assert.Equal(ChangeOutcome.Done, result.Outcome));
        }
        var calls = new SourceGrainCalls();
        await using (var restarted = await SiloHost.Start(data, settings: quiet, services: s => s.AddSingleton<IIncomingGrainCallFilter>(calls)))
        {
            var pages = restarted.Services.GetRequiredService<SourcePages>();
            var all = new List<SourceRecord>();
            for (long? before = long.MaxValue; before is { } cursor;)
            {
                var page = await pages.Page(SiloHost.Account, cursor, 30, null, null, null);
                all.AddRange(page.Items);
                before = page.NextBefore;
            }
            // Created at once, so in no particular order; each once.
            Assert.Equal(ids, all.Select(e => e.Id).Order());
            Assert.Equal(100, (await pages.Page(SiloHost.Account, long.MaxValue, 100, "POSTGRES", null, null)).Items.Count);
            Assert.Equal(200, await pages.Count(SiloHost.Account));
            Assert.Empty((await pages.Page("another account", long.MaxValue, 100, null, null, null)).Items);
            // Matches none of the 200: every row is passed over in the table, none asked of its grain.
            var none = await pages.Page(SiloHost.Account, long.MaxValue, 1, null, SourceStatus.AwaitingKeyRegistration, null);
            Assert.Empty(none.Items);
            Assert.Null(none.NextBefore);
            Assert.Empty((await pages.Page(SiloHost.Account, long.MaxValue, 1, "MYSQL", SourceStatus.Healthy, "no such name")).Items);

            Assert.Equal(0, calls.Count);
            var statistics = await restarted.Grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
            Assert.DoesNotContain(statistics, s => s.GrainType.Contains(nameof(SourceGrain), StringComparison.Ordinal) && s.ActivationCount > 0);

            // Each is shown as its grain shows it.
            foreach (var listed in all)
            {
                var got = await restarted.Grains.GetGrain<ISourceGrain>(listed.Id).Get(SiloHost.Account);
                Assert.Equal(JsonSerializer.Serialize(got), JsonSerializer.Serialize(listed));
            }
            Assert.Equal(ids.Length, calls.Count);
        }
        Directory.Delete(data, recursive: true);
    }

    /// <summary>Counts the calls that reach a source's grain, on the node it is registered with.</summary>
    private sealed class SourceGrainCalls : IIncomingGrainCallFilter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.Grain is ISourceGrain)
                Interlocked.Increment(ref _count);
            return context.Invoke();
        }
    }
}
