using System.Diagnostics;
using Sources.Bench;
using Sources.TestServers;

namespace Sources.ProbeLoad;

/// <summary>
/// <c>dotnet run -c Release --project bench/Sources.ProbeLoad [-- --small --rows 1,2,3,4 --no-write ...]</c>
/// (flags: Options): probe capacity, all rows in one run; prints the tables and writes them into BENCHMARKS.md.
/// </summary>
public static class Program
{
    public const string Command = "dotnet run -c Release --project bench/Sources.ProbeLoad";

    public static async Task<int> Main(string[] args)
    {
        if (!Harness.IsRelease(typeof(Program).Assembly, Command)) return 2;
        var options = Options.Parse(args);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadAtStart = Harness.LoadAverage();
        using var counts = new ProbeCounts();
        ThroughputRow? quick = null, healthy = null;
        List<BacklogRow>? backlog = null;
        SweepRow? sweep = null;
        var warnings = new List<string>();
        var nodeInfo = "";

        if (options.Rows.Contains(1) || options.Rows.Contains(2))
        {
            Console.WriteLine("rows 1-2: probes/s and CPU per probe (a silo in this process)");
            // No re-check during these rows: every probe is one the harness asked for.
            await using var node = await InProcessNode.StartAsync(TimeSpan.FromDays(1), options.Deadline);
            var s = node.Scheduler;
            nodeInfo = $"capacity (`Sources:Probe:Concurrency`, default from memory) {s.Capacity:N0} probes in flight, {s.AccountLimit:N0} per account, background at most {s.BackgroundLimit:N0}, {s.Blocking.Limit} blocking threads, deadline {options.Deadline.TotalSeconds:0} s; the child-process node of row 3 works these out by the same rule on the same machine";
            Console.WriteLine($"  {nodeInfo}");
            if (options.Rows.Contains(1))
            {
                Console.WriteLine("  quick targets");
                quick = await Throughput.QuickAsync(node, counts, options);
            }
            if (options.Rows.Contains(2))
            {
                Console.WriteLine("  healthy PostgreSQL");
                await using var postgres = await PostgresServer.StartAsync();
                healthy = await Throughput.HealthyAsync(node, counts, postgres, options);
            }
            warnings.AddRange(Warnings("rows 1-2", node));
        }

        if (options.Rows.Contains(3))
        {
            Console.WriteLine("row 3: POST /test/ behind black holes (the service as a child process)");
            backlog = await Backlog.RunAsync(options);
        }

        if (options.Rows.Contains(4))
        {
            Console.WriteLine($"row 4: sweep lag ({options.SweepSources:N0} sources, interval {options.SweepInterval.TotalSeconds:0.#} s)");
            await using var blackHole = new SilentListener();
            await using var node = await InProcessNode.StartAsync(options.SweepInterval, options.Deadline);
            if (nodeInfo == "")
                nodeInfo = $"capacity {node.Scheduler.Capacity:N0}, {node.Scheduler.AccountLimit:N0} per account, background at most {node.Scheduler.BackgroundLimit:N0}, deadline {options.Deadline.TotalSeconds:0} s";
            sweep = await SweepLag.RunAsync(node, counts, blackHole, options);
            warnings.AddRange(Warnings("row 4", node));
        }

        var machine = Harness.Machine("the node, PostgreSQL, the listeners and the harness all on these cores", withMemory: true);
        var run = new RunInfo(Command + Options.Flags(args), machine, Harness.SourceState(), started, clock.Elapsed, $"{loadAtStart} at the start, {Harness.LoadAverage()} at the end", nodeInfo);
        var markdown = Report.Markdown(new Results(quick, healthy, backlog, sweep, warnings), run, options);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (options.Write)
            Report.Section.Write(options.Output, markdown);
        return 0;
    }

    private static IEnumerable<string> Warnings(string rows, InProcessNode node) =>
        node.Warnings.Seen.OrderByDescending(w => w.Value.Count).Select(w =>
            $"{rows}: {w.Value.Count:N0} × `{w.Key}`: \"{(w.Value.First.Length > 200 ? w.Value.First[..200] + "…" : w.Value.First).Replace('\n', ' ')}\"");
}
