using System.Diagnostics;
using System.Text.Json.Nodes;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Network;
using Sources.Silo.Probing.Postgres;
using Sources.TestServers;

namespace Sources.Benchmarks;

/// <summary>
/// CPU per POSTGRES probe as the number of distinct sources grows: probes of sources never probed
/// before, 16 at a time, in rounds; each round prints the process's CPU time (user + system) per
/// probe, which the other work on a shared machine does not add to, and the managed heap after a
/// full collection (what is retained). "closed": a closed loopback port (each source its own
/// password). "server": a throw-away PostgreSQL (each source its own application name), so every
/// probe signs in and reads the catalog.
/// </summary>
public static class ProbeCpu
{
    private const int Concurrency = 16;

    public static void Run(string target, int sourcesPerRound, int rounds)
    {
        var prober = new PostgresProber(new NetworkPolicy(new NetworkSettings { Allow = ["loopback"] }));
        PostgresServer? server = null;
        if (target == "server")
        {
            server = PostgresServer.StartAsync().GetAwaiter().GetResult();
            server.CreateDatabaseAsync("shop").GetAwaiter().GetResult();
            server.CreateLoginAsync("analyst", "analyst-pw").GetAwaiter().GetResult();
            server.ExecuteAsync("shop", "CREATE SCHEMA sales; CREATE TABLE sales.orders (id int); GRANT ALL ON SCHEMA sales TO analyst;").GetAwaiter().GetResult();
        }
        var port = server?.Port ?? FreePort.Next();
        var next = 0;
        Probe(prober, port, server is not null, ref next, 200); // warm-up: JIT, first sockets
        Console.WriteLine("| target | sources probed so far | CPU per probe | wall per probe | heap after full GC |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        var process = Process.GetCurrentProcess();
        for (var round = 0; round < rounds; round++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var wall = Stopwatch.GetTimestamp();
            Probe(prober, port, server is not null, ref next, sourcesPerRound);
            var elapsed = Stopwatch.GetElapsedTime(wall);
            process.Refresh();
            var used = process.TotalProcessorTime - cpu;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            Console.WriteLine($"| {target} | {next:N0} | {used.TotalMicroseconds / sourcesPerRound:N0} µs | {elapsed.TotalMicroseconds / sourcesPerRound:N0} µs | {GC.GetTotalMemory(true) / 1048576.0:N1} MB |");
        }
        server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static void Probe(PostgresProber prober, int port, bool server, ref int next, int count)
    {
        var start = next;
        next += count;
        Parallel.For(start, start + count, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, i =>
        {
            var settings = server
                ? new JsonObject
                {
                    ["type"] = "POSTGRES",
                    ["connection_string"] = $"host=127.0.0.1;port={port};username=analyst;password=analyst-pw;database=shop;application name=probe-{i}",
                    ["selected_schemas"] = new JsonArray("sales"),
                }
                : new JsonObject
                {
                    ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = port, ["username"] = "analyst",
                    ["password"] = "pw-" + i, ["database_name"] = "shop",
                };
            var outcome = prober.Probe(settings, new ProbeContext(i), CancellationToken.None).GetAwaiter().GetResult().Outcome;
            if (outcome != (server ? ProbeOutcome.Ok : ProbeOutcome.Unreachable))
                throw new InvalidOperationException($"A probe answered {outcome}.");
        });
    }
}
