using Sources.TestServers;

namespace Sources.Silo.Tests.Storage;

/// <summary>Cluster mode: silos sharing one PostgreSQL database find each other through the membership table.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusterTests(PostgresServer server)
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_silos_form_one_cluster_and_share_activations()
    {
        await using var database = await TestDatabase.PostgresAsync(server);
        await using var first = await SiloHost.StartStorage(database.Options);
        await using var second = await SiloHost.StartStorage(database.Options);

        await WaitForActiveSilosAsync(first, 2);
        await WaitForActiveSilosAsync(second, 2);
        Assert.Equal(2, await database.CountAsync("SELECT COUNT(*) FROM sources_cluster_member WHERE status = 3"));
        Assert.Equal(1, await database.CountAsync("SELECT COUNT(*) FROM sources_cluster_version"));

        var viaFirst = await first.Grains.GetGrain<IProbeGrain>(42).Activation();
        var viaSecond = await second.Grains.GetGrain<IProbeGrain>(42).Activation();
        Assert.Equal(viaFirst, viaSecond);

        // State written through one silo is what the other one reads.
        await second.Grains.GetGrain<IProbeGrain>(43).Set("shared");
        Assert.Equal("shared", (await first.Grains.GetGrain<IProbeGrain>(43).Get()).Value);
    }

    /// <summary>Membership converges asynchronously; poll the silo's own view until it sees everyone.</summary>
    private static async Task WaitForActiveSilosAsync(SiloHost silo, int expected)
    {
        var management = silo.Grains.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + JoinTimeout;
        while (true)
        {
            var active = await management.GetHosts(onlyActive: true);
            if (active.Count == expected)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Only {active.Count} of {expected} silos became active within {JoinTimeout.TotalSeconds:0} s.");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
