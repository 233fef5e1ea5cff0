using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Configuration;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Events;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.MongoDb;

/// <summary>
/// MONGODB: checks every host of the connection string (for mongodb+srv, every host its SRV
/// record lists) with the network policy, then runs the driver through a <see cref="PolicyGate"/>
/// so each connection it opens later is checked too. Pings, reads buildInfo, and lists the
/// databases, or the collections of the database the URL names with the fields of a few
/// documents of each (<see cref="MongoSampling"/>).
/// </summary>
public sealed class MongoProber(NetworkPolicy network) : IProber
{
    private const int MaxHosts = 50;

    public string Type => "MONGODB";

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings) =>
        MongoConnectionSettings.From(settings).Problem is { } problem ? [problem] : [];

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var clock = BudgetClock.Start(context.Budget);
        var parsed = MongoConnectionSettings.From(settings);
        var url = parsed.Url!;
        var host = url.Servers.First().Host;
        var hosts = url.Scheme == ConnectionStringScheme.MongoDBPlusSrv
            ? await MongoSrv.Hosts(host, url.SrvServiceName, clock.Remaining, cancellation)
            : new MongoSrv.Lookup(url.Servers.Select(s => s.Host).ToList(), null);
        if (hosts.Failure is not null)
            return hosts.Failure;
        if (hosts.Hosts.Count > MaxHosts)
            return ProbeResult.Failed(ProbeOutcome.InvalidConfig, $"The connection string leads to more than {MaxHosts} hosts.");
        foreach (var each in hosts.Hosts)
            if (await network.Resolve(each, cancellation) is { IsAllowed: false } refused)
                return refused.ToResult();

        // TLS is the gate's, so its certificate chain is built offline and checked as ssl_mode says.
        await using var gate = PolicyGate.Start(network, clock.Remaining, cancellation, parsed.Tls);
        var nothingReachable = new TaskCompletionSource<ProbeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = new MongoClient(Settings(url, gate, clock.Remaining, cluster =>
        {
            if (MongoFailures.NoServerReachable(cluster, host, gate) is { } result)
                nothingReachable.TrySetResult(result);
        }));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        try
        {
            var work = Discover(client, url.DatabaseName, stop.Token);
            if (await Task.WhenAny(work, nothingReachable.Task) == nothingReachable.Task)
            {
                await stop.CancelAsync();
                _ = work.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                return await nothingReachable.Task;
            }
            return await work;
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            if (cancellation.IsCancellationRequested) throw new OperationCanceledException(cancellation);
            return MongoFailures.Classify(ex, host, gate);
        }
        finally
        {
            client.Dispose();
        }
    }

    private static MongoClientSettings Settings(MongoUrl url, PolicyGate gate, TimeSpan budget, Action<MongoDB.Driver.Core.Clusters.ClusterDescription> watch)
    {
        var settings = MongoClientSettings.FromUrl(url);
        settings.Socks5ProxySettings = new Socks5ProxySettings("127.0.0.1", gate.Port);
        settings.UseTls = false;
        // Every wait the driver has ends within what is left of the budget, so its work stops when
        // the probe's does, whatever the connection string asked for.
        settings.ServerSelectionTimeout = budget;
        settings.ConnectTimeout = budget;
        settings.SocketTimeout = budget;
        settings.WaitQueueTimeout = budget;
        settings.MaxConnectionPoolSize = 2;
        settings.ApplicationName ??= "sources-probe";
        settings.ClusterConfigurator = cluster => cluster.Subscribe<ClusterDescriptionChangedEvent>(e => watch(e.NewDescription));
        return settings;
    }

    private static async Task<ProbeResult> Discover(MongoClient client, string? database, CancellationToken cancellation)
    {
        var admin = client.GetDatabase("admin");
        await admin.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellation);
        var build = await admin.RunCommandAsync<BsonDocument>(new BsonDocument("buildInfo", 1), cancellationToken: cancellation);
        var version = build.TryGetValue("version", out var v) ? v.AsString : null;
        var discovery = DiscoveryJson.Start(DiscoveryJson.Document);
        if (database is not null)
        {
            var found = await First(await client.GetDatabase(database).ListCollectionNamesAsync(cancellationToken: cancellation), cancellation);
            var names = found.Order(StringComparer.Ordinal).ToList();
            var collections = new JsonArray();
            foreach (var (name, index) in names.Select((n, i) => (n, i)))
                collections.Add(index < MongoSampling.MaxCollections
                    ? await MongoSampling.Sample(client.GetDatabase(database), name, cancellation)
                    : MongoSampling.Unsampled(name));
            discovery["database"] = database;
            discovery["collections"] = collections;
            if (names.Count >= DiscoveryJson.MaxTables) discovery["truncated"] = true;
        }
        else
        {
            var options = new ListDatabaseNamesOptions { AuthorizedDatabases = true };
            var names = await First(await client.ListDatabaseNamesAsync(options, cancellation), cancellation);
            discovery["databases"] = DiscoveryJson.Strings(names.Order(StringComparer.Ordinal));
        }
        return ProbeResult.Succeeded(version, discovery.ToJsonString(), []);
    }

    /// <summary>The first names a listing gives, at most <see cref="DiscoveryJson.MaxTables"/>: the server decides how many there are.</summary>
    private static async Task<List<string>> First(IAsyncCursor<string> cursor, CancellationToken cancellation)
    {
        var names = new List<string>();
        using (cursor)
            while (names.Count < DiscoveryJson.MaxTables && await cursor.MoveNextAsync(cancellation))
                names.AddRange(cursor.Current.Take(DiscoveryJson.MaxTables - names.Count));
        return names;
    }
}
