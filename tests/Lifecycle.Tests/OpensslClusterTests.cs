using Microsoft.Extensions.DependencyInjection;
using Sources.Silo.Grains.Keys;
using Sources.TestServers;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// Certificates made with the README's openssl recipe: a silo and an API-only node (role client)
/// with certificates of one CA work together; a client whose certificate another CA signed does not.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OpensslClusterTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sources-openssl-").FullName;
    private string _database = "";
    private string _authority = "";

    public async Task InitializeAsync()
    {
        _database = await postgres.Server.CreateDatabaseAsync();
        _authority = await OpensslCertificates.AuthorityAsync(_folder);
    }

    private static Dictionary<string, string?> Cluster((string Certificate, string Key) node, string authority) => new()
    {
        ["Sources:Cluster:Certificate"] = node.Certificate,
        ["Sources:Cluster:CertificateKey"] = node.Key,
        ["Sources:Cluster:CertificateAuthority"] = authority,
    };

    [Fact]
    public async Task A_client_node_with_a_certificate_of_the_CA_lists_keys_and_one_of_another_CA_is_refused()
    {
        var silo = await OpensslCertificates.NodeAsync(_folder, "silo-1");
        await using var node = await SiloHost.Start(Path.Combine(_folder, "silo"), _database, cluster: Cluster(silo, _authority));
        await node.Grains.GetGrain<IKeyRegistryGrain>(0).Add(new KeyInfo("opensslkey01", "acme", DateTimeOffset.UtcNow, false));

        var member = await OpensslCertificates.NodeAsync(_folder, "api-1");
        var keys = await ListThroughClient(Cluster(member, _authority));
        Assert.Contains(keys, key => key.KeyId == "opensslkey01");

        var elsewhere = Directory.CreateDirectory(Path.Combine(_folder, "elsewhere")).FullName;
        await OpensslCertificates.AuthorityAsync(elsewhere);
        var stranger = await OpensslCertificates.NodeAsync(elsewhere, "api-2");
        // It trusts the cluster's CA, so only the silo's refusal of its own certificate stops it.
        var refusal = await Assert.ThrowsAnyAsync<Exception>(() => ListThroughClient(Cluster(stranger, _authority)));
        Assert.IsNotType<OperationCanceledException>(refusal);
    }

    /// <summary>An API-only node (role client) of the cluster, as AddSources builds it; the key list.</summary>
    private async Task<KeyInfo[]> ListThroughClient(Dictionary<string, string?> cluster)
    {
        var builder = SiloHost.Client(cluster, _database, _folder);
        // Orleans retries a refused connection until cancelled; the first refusal is the answer.
        builder.Services.AddSingleton<IClientConnectionRetryFilter, NoRetry>();
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
            return await host.Services.GetRequiredService<ApiKeys>().List(null);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private sealed class NoRetry : IClientConnectionRetryFilter
    {
        public Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken) => Task.FromResult(false);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
