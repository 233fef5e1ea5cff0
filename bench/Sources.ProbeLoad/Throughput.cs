using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Serialization;
using Orleans.Storage;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Postgres;
using Sources.Silo.Scheduling;
using Sources.Silo.Storage.Sources;
using Sources.TestServers;

namespace Sources.ProbeLoad;

/// <summary>One throughput row: the node's probes against a raw loop of the same driver calls, same concurrency, rounds alternated.</summary>
internal sealed record ThroughputRow(string Targets, string RawDoes, int Concurrency, int Sources, Measured Service, Measured Raw, IReadOnlyDictionary<string, long> Outcomes)
{
    /// <summary>The product's layers between the two, measured in the same rounds (row 1 only): name, what it adds, result.</summary>
    public List<(string Layer, string Adds, Measured Result)> Layers { get; init; } = [];

    /// <summary>
    /// The raw loop's driver calls and, after each, one durable write of a row the size of a
    /// recorded source's (full history, last discovery) through the node's <c>SourceStore</c>:
    /// what any recorded probe must at least cost. Measured in the same rounds.
    /// </summary>
    public Measured? Floor { get; init; }

    /// <summary>The stored row's payload size the floor writes, in bytes.</summary>
    public int FloorPayloadBytes { get; init; }

    public double FloorRatio => Floor is { } floor ? Service.CpuMsPerOperation / floor.CpuMsPerOperation : double.NaN;

    public double ThroughputRatio => Service.PerSecond / Raw.PerSecond;
    public double CpuRatio => Service.CpuMsPerOperation / Raw.CpuMsPerOperation;
}

/// <summary>
/// Rows 1 and 2. The node is driven by <c>Test</c> calls on its grains (what <c>POST /test/</c> does
/// after the HTTP edge), closed loop, round robin over many sources so no two calls share a probe;
/// the probes are counted by the node's meter. Each probe is the whole product path: the grain's
/// turn, the scheduler, the runner, the prober (network policy, settings, Npgsql), and recording the
/// result (a grain turn and a write to the sources table). The raw loop makes the prober's driver
/// calls and nothing else, in this process, with as many in flight.
/// </summary>
internal static class Throughput
{
    public const string Account = "bench";
    private static long _nextId = 1_000_000_000;

    public static async Task<ThroughputRow> QuickAsync(InProcessNode node, ProbeCounts counts, Options options)
    {
        var port = FreePort.Next(); // nobody listens there: each connect is refused at once
        var ids = await RegisterAsync(node, counts, options.QuickSources, id => node.Postgres(id, port, "bench", "bench-secret", "bench", "public"));
        var raw = RawConnectionString(port, "bench", "bench-secret", "bench");
        async Task RawOnce()
        {
            using var deadline = new CancellationTokenSource(options.Deadline);
            await using var connection = Connection(raw);
            try
            {
                await connection.OpenAsync(deadline.Token);
            }
            catch (NpgsqlException)
            {
                return; // refused, as expected
            }
            throw new InvalidOperationException($"Port {port} answered; the quick target must be closed.");
        }
        // The same probe entered one layer further up each time, to see what each layer costs.
        var settings = new JsonObject
        {
            ["type"] = "POSTGRES", ["account_name"] = "PostgreSQL", ["hostname"] = "127.0.0.1", ["port"] = port,
            ["username"] = "bench", ["database_name"] = "bench", ["selected_schemas"] = new JsonArray("public"), ["password"] = "bench-secret",
        };
        var prober = node.Services.GetServices<IProber>().Single(p => p.Type == "POSTGRES");
        var runner = node.Services.GetRequiredService<ProbeRunner>();
        ProbeContext Context(long n) => new(ids[n % ids.Length]) { Budget = options.Deadline, Blocking = node.Scheduler.Blocking };
        async Task ProberOnce(long n)
        {
            using var deadline = new CancellationTokenSource(options.Deadline);
            Expect((await prober.Probe(settings, Context(n), deadline.Token)).Outcome);
        }
        async Task RunnerOnce(long n)
        {
            using var deadline = new CancellationTokenSource(options.Deadline);
            Expect((await runner.Probe("POSTGRES", settings, Context(n), deadline.Token)).Outcome);
        }
        async Task SchedulerOnce(long n) =>
            Expect((await node.Scheduler.Schedule(new ProbeRequest("layers", ids[n % ids.Length], "POSTGRES", settings, ["bench-secret"]), ProbeLane.Interactive).Result).Result.Outcome);
        var floor = await FloorAsync(node, ids, RawOnce);
        return await AlternateAsync("quick: closed loopback port (POSTGRES)", "`NpgsqlConnection.OpenAsync` to the closed port (unpooled, same settings), refused",
            node, counts, ids, options.QuickConcurrency, options, _ => RawOnce(), floor,
            [
                ("`PostgresProber.Probe`", "the network policy, the settings allowlist (`NpgsqlConnectionStringBuilder`), classifying the failure", ProberOnce),
                ("`ProbeRunner.Probe`", "the settings check, `Task.Run` off the caller, catching", RunnerOnce),
                ("`ProbeScheduler.Schedule`", "lanes and shares, the start-by timer, the budget's token and `WaitAsync`, the meter, scrubbing", SchedulerOnce),
            ]);
    }

    private static void Expect(string outcome)
    {
        if (outcome != "unreachable") throw new InvalidOperationException($"The quick probe answered {outcome}.");
    }

    public static async Task<ThroughputRow> HealthyAsync(InProcessNode node, ProbeCounts counts, PostgresServer postgres, Options options)
    {
        await postgres.CreateDatabaseAsync("shop");
        await postgres.CreateLoginAsync("analyst", "analyst-pw");
        await postgres.ExecuteAsync("shop", "CREATE SCHEMA sales; CREATE TABLE sales.orders (id int); CREATE TABLE sales.customers (id int); CREATE VIEW sales.recent AS SELECT * FROM sales.orders; GRANT ALL ON SCHEMA sales TO analyst;");
        var ids = await RegisterAsync(node, counts, options.HealthySources, id => node.Postgres(id, postgres.Port, "analyst", "analyst-pw", "shop", "sales"));
        var raw = RawConnectionString(postgres.Port, "analyst", "analyst-pw", "shop");
        async Task RawOnce()
        {
            using var deadline = new CancellationTokenSource(options.Deadline);
            await RawHealthyProbe(raw, deadline.Token);
        }
        var floor = await FloorAsync(node, ids, RawOnce);
        return await AlternateAsync("healthy: real PostgreSQL (connect, version, schemas, tables, columns)", "unpooled connect with password (SCRAM), then the prober's catalog reads (`PostgresCatalog`: version, schemas, tables, columns)",
            node, counts, ids, options.HealthyConcurrency, options, _ => RawOnce(), floor);
    }

    private static async Task<ThroughputRow> AlternateAsync(string targets, string rawDoes, InProcessNode node, ProbeCounts counts, long[] ids,
        int concurrency, Options options, Func<long, Task> rawOnce, Floor floor, (string Layer, string Adds, Func<long, Task> Once)[]? layers = null)
    {
        async Task TestOnce(long n)
        {
            var result = await node.Grains.GetGrain<ISourceGrain>(ids[n % ids.Length]).Test(Account);
            if (result is null) throw new InvalidOperationException("The source was not found.");
        }

        var round = options.RowSeconds / options.Rounds;
        var warmup = TimeSpan.FromSeconds(Math.Min(1, round.TotalSeconds / 3));
        var service = new List<Measured>();
        var rawRuns = new List<Measured>();
        var layered = (layers ?? []).Select(_ => new List<Measured>()).ToArray();
        var floorRuns = new List<Measured>();
        var outcomes = new Dictionary<string, long>();
        var sides = 3 + layered.Length;
        for (var i = 0; i < options.Rounds; i++)
        {
            // Which side goes first turns each round, so none always follows another's garbage.
            for (var k = 0; k < sides; k++)
            {
                var side = (k + i) % sides;
                if (side == 0)
                {
                    Console.WriteLine($"    raw loop, {concurrency} in flight (round {i + 1})");
                    rawRuns.Add(await ClosedLoop.RunAsync(concurrency, warmup, round, rawOnce));
                }
                else if (side == 1)
                {
                    Console.WriteLine($"    service, {concurrency} in flight (round {i + 1})");
                    var before = counts.ByOutcome();
                    service.Add(await ClosedLoop.RunAsync(concurrency, warmup, round, TestOnce, () => counts.Ended("interactive")));
                    foreach (var (key, value) in counts.ByOutcome().Where(a => a.Key.Lane == "interactive"))
                        if (value - before.GetValueOrDefault(key) is > 0 and var added)
                            outcomes[key.Outcome] = outcomes.GetValueOrDefault(key.Outcome) + added;
                }
                else if (side == 2)
                {
                    Console.WriteLine($"    floor (raw loop + a row written), {concurrency} in flight (round {i + 1})");
                    floorRuns.Add(await ClosedLoop.RunAsync(concurrency, warmup, round, floor.Once));
                }
                else
                {
                    var (layer, _, once) = layers![side - 3];
                    Console.WriteLine($"    {layer}, {concurrency} in flight (round {i + 1})");
                    layered[side - 3].Add(await ClosedLoop.RunAsync(concurrency, warmup, round, once));
                }
            }
        }
        return new ThroughputRow(targets, rawDoes, concurrency, ids.Length, Measured.Sum(service), Measured.Sum(rawRuns), outcomes)
        {
            Layers = [.. (layers ?? []).Select((l, n) => (l.Layer, l.Adds, Measured.Sum(layered[n])))],
            Floor = Measured.Sum(floorRuns),
            FloorPayloadBytes = floor.PayloadBytes,
        };
    }

    private sealed record Floor(Func<long, Task> Once, int PayloadBytes);

    /// <summary>
    /// The floor's rows: one per source of the row, in an account of their own, each holding what a
    /// source of the row holds once its history is full (its record as the grain keeps it, with
    /// the settings' number of results, each as its last). Each operation is the raw driver call,
    /// then a versioned <see cref="SourceStore.Update"/> of one of them (group committed, as the grain writes).
    /// </summary>
    private static async Task<Floor> FloorAsync(InProcessNode node, long[] ids, Func<Task> rawOnce)
    {
        var store = node.Services.GetRequiredService<SourceStore>();
        var serializer = node.Services.GetRequiredService<Serializer<SourceRecord>>();
        var recorded = await node.Grains.GetGrain<ISourceGrain>(ids[0]).Get(Account)
            ?? throw new InvalidOperationException("The row's first source is gone.");
        var rows = new SourceRow[ids.Length];
        var versions = new int[ids.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var id = Interlocked.Increment(ref _nextId);
            var record = recorded with
            {
                Id = id, Account = "floor", Progress = null,
                History = [.. Enumerable.Repeat(recorded.LastProbe! with { DiscoveryJson = null }, node.Settings.HistorySize)],
            };
            rows[i] = new SourceRow(id, record.Account, record.Type, serializer.SerializeToArray(record), DateTimeOffset.UtcNow.AddDays(1), SourceColumns.Of(record));
            versions[i] = await store.Insert(rows[i]) ?? throw new InvalidOperationException($"Floor row {id} exists already.");
        }
        async Task Once(long n)
        {
            await rawOnce();
            var at = (int)(n % rows.Length);
            try
            {
                versions[at] = await store.Update(rows[at], Volatile.Read(ref versions[at]));
            }
            catch (InconsistentStateException)
            {
                // Another worker wrote this row at the same moment (n and n + rows apart): write it once more.
                versions[at] = await store.Update(rows[at], (await store.Read(rows[at].Id))!.Version);
            }
        }
        return new Floor(Once, rows[0].Payload.Length);
    }

    /// <summary>Registers sources through their grains (each starts its first probe) and waits for those first probes to end.</summary>
    public static async Task<long[]> RegisterAsync(InProcessNode node, ProbeCounts counts, int count, Func<long, SourceConfig> config)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Interlocked.Increment(ref _nextId)).ToArray();
        var ended = counts.Ended("interactive", notStarted: true);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, _) =>
        {
            var created = await node.Grains.GetGrain<ISourceGrain>(id).Register(Account, config(id));
            if (created.Outcome != ChangeOutcome.Done) throw new InvalidOperationException($"Register {id}: {created.Outcome}");
        });
        await Poll.Until<object>(() => counts.Ended("interactive", notStarted: true) - ended >= count ? true : null,
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(120), $"the first probes of {count} sources");
        return ids;
    }

    private static string RawConnectionString(int port, string user, string password, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = port, Username = user, Password = password, Database = database,
        SslMode = SslMode.Disable, Pooling = false, ApplicationName = "sources-probe",
    }.ConnectionString;

    private static NpgsqlConnection Connection(string connectionString) => new(connectionString)
    {
        SslClientAuthenticationOptionsCallback = tls => tls.TargetHost = "127.0.0.1",
    };

    /// <summary>
    /// The PostgreSQL prober's driver calls (its <see cref="PostgresCatalog"/> reads), without the
    /// network policy, the settings allowlist, the data source of its own and the discovery JSON.
    /// </summary>
    private static async Task RawHealthyProbe(string connectionString, CancellationToken cancellation)
    {
        var clock = BudgetClock.Start(TimeSpan.FromSeconds(10));
        await using var connection = Connection(connectionString);
        await connection.OpenAsync(cancellation);
        var read = await PostgresCatalog.ReadAll(connection, ["sales"], clock, cancellation);
        if (read.Schemas.Count == 0 || read.Tables.Count == 0 || read.Columns.Count == 0) throw new InvalidOperationException("The raw loop read no schemas, tables or columns.");
    }
}
