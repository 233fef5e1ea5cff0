using Sources.Silo.Grains.Accounts;
using Sources.Silo.Grains.Sources;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// Creates that run at once share commits (group commit); every one must be stored and listed,
/// newest first, after a restart as well.
/// </summary>
public sealed class AccountIndexTests
{
    [Fact]
    public async Task Concurrent_creates_are_all_stored_and_listed_newest_first_after_a_restart()
    {
        var data = Directory.CreateTempSubdirectory("sources-account-").FullName;
        var ids = Enumerable.Range(1, 200).Select(i => (long)i).ToArray();
        await using (var silo = await SiloHost.Start(data))
        {
            var created = await Task.WhenAll(ids.Select(id => silo.Grains.GetGrain<ISourceGrain>(id)
                .Register(SiloHost.Account, silo.Postgres(id, port: 9, "u", "p", "db") with { Type = id % 2 == 0 ? "POSTGRES" : "MYSQL" })));
            Assert.All(created, result => Assert.Equal(ChangeOutcome.Done, result.Outcome));
        }
        await using (var restarted = await SiloHost.Start(data))
        {
            var account = restarted.Grains.GetGrain<IAccountGrain>(SiloHost.Account);
            var all = await account.Page(long.MaxValue, 1000, null);
            Assert.Equal(ids, all.Select(e => e.Id).Order());
            Assert.True(all.Zip(all.Skip(1)).All(pair => pair.First.Sequence > pair.Second.Sequence), "newest first");
            Assert.Equal(100, (await account.Page(long.MaxValue, 1000, "POSTGRES")).Length);
            Assert.Empty(await restarted.Grains.GetGrain<IAccountGrain>("another account").Page(long.MaxValue, 1000, null));
            foreach (var id in ids)
                Assert.Equal(id, (await restarted.Grains.GetGrain<ISourceGrain>(id).Get(SiloHost.Account))?.Id);
        }
        Directory.Delete(data, recursive: true);
    }
}
