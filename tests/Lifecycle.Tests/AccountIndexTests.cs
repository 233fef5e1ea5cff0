using Sources.Silo.Grains.Accounts;

namespace Sources.Lifecycle.Tests;

/// <summary>The account index group-commits concurrent adds; none may be lost.</summary>
public sealed class AccountIndexTests
{
    [Fact]
    public async Task Concurrent_adds_are_all_stored_and_survive_a_restart_newest_first()
    {
        var data = Directory.CreateTempSubdirectory("sources-account-").FullName;
        await using (var silo = await SiloHost.Start(data))
        {
            var account = silo.Grains.GetGrain<IAccountGrain>("busy");
            await Task.WhenAll(Enumerable.Range(1, 200).Select(id => account.Add(id, id % 2 == 0 ? "POSTGRES" : "MYSQL")));
        }
        await using (var restarted = await SiloHost.Start(data))
        {
            var account = restarted.Grains.GetGrain<IAccountGrain>("busy");
            var all = await account.Page(long.MaxValue, 1000, null);
            Assert.Equal(200, all.Length);
            Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i).Order(), all.Select(e => e.Id).Order());
            Assert.True(all.Zip(all.Skip(1)).All(pair => pair.First.Sequence > pair.Second.Sequence), "newest first");
            Assert.Equal(100, (await account.Page(long.MaxValue, 1000, "POSTGRES")).Length);
        }
        Directory.Delete(data, recursive: true);
    }
}
