using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Sources.Bench;
using static Sources.Bench.BenchmarksSection;

namespace Sources.Load;

/// <summary>
/// <c>dotnet run -c Release --project bench/Sources.Load -- idle-sources [--count 100000] [--clients 32] [--interval 300] [--counters PATH] [--gcdump PATH] [--no-write] [--output FILE]</c>:
/// the service in embedded mode with sources re-checked every <c>--interval</c> seconds; <c>--count</c>
/// POSTGRES sources created over HTTP (on a closed loopback port, so every probe ends at once). What
/// the service holds (<see cref="ServiceMemory"/>) is read when it is empty, right after the creates
/// (a source's grain stays active from its create until its first background check), and once
/// every source has had its first background check and nobody has read it since: the idle state
/// the sources then stay in between
/// checks. Prints the table and writes it into BENCHMARKS.md.
/// </summary>
public static class IdleSources
{
    private const string Command = Program.Command + " -- idle-sources";
    internal static readonly BenchmarksSection Section = new("Sources.Load idle-sources", "## Memory: idle sources");

    public static async Task<int> RunAsync(string[] args)
    {
        var count = (int)Option(args, "--count", 100_000);
        var clients = (int)Option(args, "--clients", 32);
        var interval = TimeSpan.FromSeconds(Option(args, "--interval", 300));
        var tools = new MemoryTools(Text(args, "--counters") ?? "dotnet-counters", Text(args, "--gcdump") ?? "dotnet-gcdump");
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();

        await using var service = await ServiceUnderTest.EmbeddedAsync(interval);
        var workload = new Workload(service.ApiKey);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = service.BaseAddress };

        var empty = await ServiceMemory.Snapshot(service, tools);
        Console.WriteLine($"  empty: {Mib(empty.Rss)} resident, {empty.Activations} activations");
        var creating = Stopwatch.StartNew();
        var statuses = await Create(http, workload, count, clients);
        var created = creating.Elapsed;
        var createdAt = clock.Elapsed;
        Console.WriteLine($"  {count:N0} creates in {created.TotalSeconds:0.0} s: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value:N0} × {(int)s.Key}")));
        var afterCreates = await ServiceMemory.Snapshot(service, tools);
        Console.WriteLine($"  right after: {Mib(afterCreates.Rss)} resident, {afterCreates.Activations} activations");

        // The last create's first background check falls due 0.9 intervals after it (the check's
        // slack, SourceHealth.NextCheck), and the sweep claims it within a quarter interval.
        var lastDue = createdAt + interval * 0.9 + interval / 4;
        var limit = lastDue + interval;
        long? activations;
        do
        {
            activations = await ServiceMemory.Activations(service.ProcessId, tools);
            Console.WriteLine($"  {clock.Elapsed.TotalSeconds:0} s: {activations} activations");
            // Poll interval only (the count decides); without dotnet-counters the loop would otherwise spin a core.
            await Task.Delay(TimeSpan.FromSeconds(5));
        } while (clock.Elapsed < limit && (clock.Elapsed < lastDue || activations is null || activations > count / 100));

        var idle = await ServiceMemory.Snapshot(service, tools);
        var idleAt = clock.Elapsed;
        // The first snapshot's heap dump ended with a full collection: what the process gives back after it.
        var settled = await ServiceMemory.Snapshot(service, tools);
        Console.WriteLine($"  idle: {Mib(idle.Rss)} resident, then {Mib(settled.Rss)}; {settled.Activations} activations");

        var md = new StringBuilder();
        md.AppendLine(Reproduce(Command + (args.Length > 1 ? " " + string.Join(' ', args.Skip(1)) : ""), clock.Elapsed, started, Harness.SourceState()));
        md.AppendLine();
        md.AppendLine($"Machine: {Harness.Machine("the service and the load clients share these 2 cores with other engineers' builds and tests")}.");
        md.AppendLine();
        md.AppendLine($"{count:N0} POSTGRES creates (closed loopback port) from {clients} clients in {created.TotalSeconds:0.0} s: "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value:N0} × {(int)s.Key}")) + $"; `Sources:Probe:Interval` = {interval.TotalSeconds:0} s.");
        md.AppendLine();
        md.AppendLine("| | resident memory | GC committed (before the full GC) | live GC heap (after a full GC) | grain activations (all types) | grain directory cache entries |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var (name, state) in new[]
                 {
                     ("empty", empty), ("right after the creates (each grain active from its create to its first background check)", afterCreates),
                     ($"idle: every source checked in the background since, none read ({idleAt.TotalSeconds:0} s into the run)", idle),
                     ("idle, one full GC later", settled),
                 })
            md.AppendLine($"| {name} | {Mib(state.Rss)} | {Mib(state.GcCommitted)} | {Mib(state.GcHeap)} | {Number(state.Activations)} | {Number(state.DirectoryCache)} |");
        md.AppendLine();
        var perIdle = (settled.Rss - empty.Rss) * (100_000.0 / count);
        var perActive = (afterCreates.Rss - empty.Rss) * (100_000.0 / count);
        md.AppendLine($"Per 100,000 sources beyond the empty service: **{Mib(perIdle)} resident when idle** (target ≤ 300 MiB), {Mib(perActive)} right after the creates.");
        var markdown = md.ToString();

        Console.WriteLine();
        Console.WriteLine(markdown);
        if (!args.Contains("--no-write"))
            Section.Write(Text(args, "--output"), markdown);
        return statuses.Keys.All(s => s == HttpStatusCode.Created) ? 0 : 1;
    }

    /// <summary>Sends <paramref name="count"/> creates from <paramref name="clients"/> loops.</summary>
    private static async Task<Dictionary<HttpStatusCode, int>> Create(HttpClient http, Workload workload, int count, int clients)
    {
        var left = count;
        var statuses = new Dictionary<HttpStatusCode, int>();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
            {
                using var response = await http.SendAsync(workload.Create());
                lock (statuses)
                    statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            }
        }));
        return statuses;
    }

    private static string Mib(double? bytes) => bytes is { } b ? $"{b / 1048576.0:0.0} MiB" : "—";

    private static string Number(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "—";

    private static string? Text(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    private static double Option(string[] args, string name, double fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
