using System.Security.Cryptography;
using Sources.TestServers;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server and two service nodes on it (different http, silo and gateway ports,
/// the same database and master key), which form one Orleans cluster. The bootstrap key belongs
/// to account "default". The nodes authenticate each other with mutual TLS: each has its own
/// certificate, signed by the cluster's CA (<see cref="Certificates"/>), which every node trusts.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private PostgresServer? _server;
    private string _certificateFolder = "";

    /// <summary>The PostgreSQL server itself, to stop and start again mid-test.</summary>
    public PostgresServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public string Key { get; } = $"bootstrap-{Guid.NewGuid():N}";
    public string MasterKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public Transcript Transcript { get; } = new();
    public string ConnectionString { get; private set; } = "";
    public ServiceProcess NodeA { get; private set; } = null!;
    public ServiceProcess NodeB { get; private set; } = null!;
    public IReadOnlyList<ServiceProcess> Nodes => [NodeA, NodeB];

    /// <summary>The cluster's CA: a certificate it issues is the cluster's.</summary>
    public TestCertificates Certificates { get; } = TestCertificates.NewAuthority();

    public SourcesClient ClientA => new(NodeA, Key, Transcript);
    public SourcesClient ClientB => new(NodeB, Key, Transcript);

    /// <summary>For the keys CLI, which joins the cluster on ports of its own: node A's database and master key.</summary>
    public ServiceConfig CliConfig => NodeA.Config;

    private ServiceConfig NewConfig(string node) => NodeConfig(Certificates, _certificateFolder, ConnectionString, MasterKey, Key, node);

    /// <summary>
    /// A node of a postgres-mode cluster on <paramref name="connectionString"/>, with a certificate of
    /// its own that <paramref name="authority"/> issued (written to <paramref name="folder"/>, beside the
    /// CA's own, which <see cref="TestCertificates.WriteAuthority"/> put there).
    /// </summary>
    public static ServiceConfig NodeConfig(TestCertificates authority, string folder, string connectionString, string masterKey, string key, string node)
    {
        using var certificate = authority.Issue(node);
        var (certificatePath, keyPath) = TestCertificates.WritePem(certificate, folder, node.Replace(' ', '-'));
        return ServiceConfig.Postgres(connectionString, masterKey, key) with
        {
            Settings = new Dictionary<string, string>
            {
                ["Sources__Cluster__Certificate"] = certificatePath,
                ["Sources__Cluster__CertificateKey"] = keyPath,
                ["Sources__Cluster__CertificateAuthority"] = Path.Combine(folder, "cluster-ca.pem"),
            },
        };
    }

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        ConnectionString = await _server.CreateDatabaseAsync();
        _certificateFolder = Directory.CreateTempSubdirectory("sources-cluster-tls-").FullName;
        Certificates.WriteAuthority(_certificateFolder);
        // Both at once on the empty database, as an orchestrator starts them: they race to migrate
        // the schema and to create the bootstrap key, and both must come up.
        var (a, b) = (ServiceProcess.StartAsync(NewConfig("node A"), "node A"), ServiceProcess.StartAsync(NewConfig("node B"), "node B"));
        await Task.WhenAll(a, b);
        (NodeA, NodeB) = (a.Result, b.Result);
    }

    /// <summary>
    /// Runs a test's steps; if one fails, the failure carries the tail of every node's output, so
    /// a status the test did not expect (a 503, say) comes with what the node logged meanwhile.
    /// </summary>
    public async Task WithNodeLogs(Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception failure)
        {
            var tails = Nodes.Where(n => n is not null).Select(n => $"===== last {LogTailLines} lines of {n.Name} =====\n{n.LogTail(LogTailLines)}");
            throw new NodeLogsException($"{failure.Message}\n{string.Join('\n', tails)}", failure);
        }
    }

    private const int LogTailLines = 80;

    /// <summary>Stops every node gracefully, then starts them again: nothing is left in any memory.</summary>
    public async Task RestartAllAsync()
    {
        await Task.WhenAll(NodeA.StopAsync(), NodeB.StopAsync());
        await NodeA.StartAsync();
        await NodeB.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var node in new[] { NodeA, NodeB }.Where(n => n is not null))
        {
            await node.DisposeAsync();
            Directory.Delete(node.Config.WorkingDirectory, recursive: true);
        }
        if (_server is not null)
            await _server.DisposeAsync();
        if (_certificateFolder.Length > 0)
            Directory.Delete(_certificateFolder, recursive: true);
        Certificates.Dispose();
    }
}

/// <summary>A failed assertion of a cluster test with the nodes' output in its message; the assertion itself is the inner exception.</summary>
public sealed class NodeLogsException(string message, Exception inner) : Exception(message, inner);

[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "postgres cluster";
}
