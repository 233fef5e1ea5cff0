using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Hosting;
using Sources.Silo.Listing;

namespace Sources.Lifecycle.Tests;

/// <summary>An API-only node (role client) holds no grains: it lists by reading the sources table itself.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClientListingTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_client_node_lists_filters_and_counts_from_the_table()
    {
        var data = Directory.CreateTempSubdirectory("sources-client-listing-").FullName;
        var database = await postgres.Server.CreateDatabaseAsync();
        var cluster = SiloHost.ClusterCertificate(data);
        await using var silo = await SiloHost.Start(data, database, interval: TimeSpan.FromHours(1), cluster: cluster);
        foreach (var (id, name) in new[] { (1L, "Billing warehouse"), (2L, "Shop"), (3L, "Warehouse EU") })
        {
            var config = silo.Postgres(id, port: 9, "u", "p", "db") with { AccountName = name };
            Assert.Equal(ChangeOutcome.Done, (await silo.Grains.GetGrain<ISourceGrain>(id).Register(SiloHost.Account, config)).Outcome);
        }

        var builder = SiloHost.Client(cluster, database, data);
        using var client = builder.Build();
        await client.StartAsync();
        try
        {
            Assert.Equal(SourcesRole.Client, client.Services.GetRequiredService<SourcesSettings>().Role);
            var pages = client.Services.GetRequiredService<SourcePages>();
            var all = await pages.Page(SiloHost.Account, long.MaxValue, 10, null, null, null);
            Assert.Equal([3L, 2, 1], all.Items.Select(s => s.Id));
            var search = await pages.Page(SiloHost.Account, long.MaxValue, 1, "POSTGRES", null, "WAREHOUSE");
            Assert.Equal([3L], search.Items.Select(s => s.Id));
            Assert.Equal([1L], (await pages.Page(SiloHost.Account, search.NextBefore!.Value, 1, "POSTGRES", null, "WAREHOUSE")).Items.Select(s => s.Id));
            Assert.Empty((await pages.Page(SiloHost.Account, long.MaxValue, 10, null, SourceStatus.AwaitingKeyRegistration, null)).Items);
            Assert.Equal(3, await pages.Count(SiloHost.Account));
        }
        finally
        {
            await client.StopAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
