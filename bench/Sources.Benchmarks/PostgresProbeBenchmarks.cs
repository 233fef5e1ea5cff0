using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Npgsql;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.Network;
using Sources.Silo.Probing.Postgres;
using Sources.TestServers;

namespace Sources.Benchmarks;

/// <summary>
/// A POSTGRES probe against the raw Npgsql calls it makes (a fresh unpooled connection, then
/// the prober's own <see cref="PostgresCatalog"/> reads), on the same throw-away server in the same run.
/// </summary>
[MemoryDiagnoser]
// In process: the probe's cost is I/O and driver work, not JIT layout, and building a separate
// benchmark executable of the whole silo takes longer than BenchmarkDotNet's build timeout here.
[InProcess]
[WarmupCount(3), IterationCount(15)]
[MinColumn, MedianColumn]
public class PostgresProbeBenchmarks
{
    private PostgresServer _server = null!;
    private PostgresProber _prober = null!;
    private JsonObject _settings = null!;
    private string _raw = null!;
    private int _closedPort;
    private int _distinct;

    [GlobalSetup]
    public void Setup()
    {
        _server = PostgresServer.StartAsync().GetAwaiter().GetResult();
        _server.CreateDatabaseAsync("shop").GetAwaiter().GetResult();
        _server.CreateLoginAsync("analyst", "analyst-pw").GetAwaiter().GetResult();
        _server.ExecuteAsync("shop", "CREATE SCHEMA sales; CREATE TABLE sales.orders (id int); GRANT ALL ON SCHEMA sales TO analyst;").GetAwaiter().GetResult();
        _prober = new PostgresProber(new NetworkPolicy(new NetworkSettings { Allow = ["loopback"] }));
        _settings = new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = _server.Port, ["username"] = "analyst",
            ["password"] = "analyst-pw", ["database_name"] = "shop", ["ssl_mode"] = "disable", ["selected_schemas"] = new JsonArray("sales"),
        };
        _closedPort = FreePort.Next();
        _raw = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = _server.Port, Username = "analyst", Password = "analyst-pw", Database = "shop",
            Pooling = false, SslMode = SslMode.Disable,
        }.ConnectionString;
    }

    [GlobalCleanup]
    public void Cleanup() => _server.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "raw Npgsql: connect, then the prober's catalog reads (version, schemas, tables, columns)")]
    public async Task<int> RawNpgsql()
    {
        var clock = BudgetClock.Start(TimeSpan.FromSeconds(10));
        await using var connection = new NpgsqlConnection(_raw);
        await connection.OpenAsync();
        var read = await PostgresCatalog.ReadAll(connection, ["sales"], clock, CancellationToken.None);
        return read.Schemas.Count + read.Tables.Count + read.Columns.Count;
    }

    [Benchmark(Description = "PostgresProber.Probe")]
    public async Task<string> Probe() => (await _prober.Probe(_settings, new ProbeContext(1), CancellationToken.None)).Outcome;

    /// <summary>
    /// Each probe of a source never probed before (its own password), at a closed
    /// port, so the probe is nearly all client CPU. A driver cache that keeps one entry per distinct
    /// connection string grows with every operation BenchmarkDotNet runs (tens of thousands).
    /// </summary>
    [Benchmark(Description = "PostgresProber.Probe, a new source each time, closed port")]
    public async Task<string> ProbeNewSourceClosedPort()
    {
        var settings = new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = _closedPort, ["username"] = "analyst",
            ["password"] = "pw-" + Interlocked.Increment(ref _distinct), ["database_name"] = "shop",
        };
        return (await _prober.Probe(settings, new ProbeContext(1), CancellationToken.None)).Outcome;
    }
}
