using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sources.Bench;
using Sources.TestServers;
using static Sources.Bench.BenchmarksSection;

namespace Sources.Failover;

/// <summary>
/// <c>dotnet run -c Release --project bench/Sources.Failover [-- --rounds 3 --no-write --output FILE]</c>:
/// a three-node cluster of the service on a throw-away PostgreSQL, one node killed (SIGKILL) under
/// create and get load, first with Orleans' own failure-detection settings and then with the
/// service's defaults; prints the table and writes it into BENCHMARKS.md.
/// </summary>
public static class Program
{
    public const string Command = "dotnet run -c Release --project bench/Sources.Failover";

    private static readonly BenchmarksSection Section = new("Sources.Failover", "## Cluster: losing a node");

    /// <summary>What Orleans itself would use, and no retry at the edge: the comparison row.</summary>
    private static readonly Dictionary<string, string> OrleansDefaults = new()
    {
        ["Sources__Cluster__ProbeTimeout"] = "00:00:05",
        ["Sources__Cluster__IAmAlivePeriod"] = "00:00:30",
        ["Sources__Cluster__TableRefreshPeriod"] = "00:01:00",
        ["Sources__Cluster__GatewayListRefreshPeriod"] = "00:01:00",
        ["Sources__Cluster__ResponseTimeout"] = "00:00:30",
        ["Sources__Cluster__LostNodeRetry"] = "00:00:00",
    };

    public static async Task<int> Main(string[] args)
    {
        if (!Harness.IsRelease(typeof(Program).Assembly, Command)) return 2;
        var at = Array.IndexOf(args, "--rounds");
        var rounds = at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : 3;
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var loadBefore = Harness.LoadAverage();

        await using var postgres = await PostgresServer.StartAsync();
        var rows = new List<string>();
        foreach (var (label, failover) in new[] { ("Orleans' defaults, no retry", OrleansDefaults), ("the service's defaults", new Dictionary<string, string>()) })
        {
            Console.WriteLine(label);
            for (var round = 1; round <= rounds; round++)
            {
                var result = await RoundAsync(await postgres.CreateDatabaseAsync(), failover);
                rows.Add(Row(label, round, result));
                Console.WriteLine(rows[^1]);
            }
        }

        var markdown = Markdown(rows, rounds, clock.Elapsed, started, loadBefore);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (!args.Contains("--no-write"))
        {
            var output = Array.IndexOf(args, "--output");
            Section.Write(output >= 0 && output + 1 < args.Length ? args[output + 1] : null, markdown);
        }
        return 0;
    }

    /// <summary>A fresh cluster of three on a database of its own, one kill.</summary>
    private static async Task<RoundResult> RoundAsync(string database, IReadOnlyDictionary<string, string> failover)
    {
        var apiKey = $"bench-{Guid.NewGuid():N}";
        var masterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        using var authority = TestCertificates.NewAuthority();
        var folder = Directory.CreateTempSubdirectory("sources-failover-tls-").FullName;
        authority.WriteAuthority(folder);
        var nodes = new[] { "node A", "node B", "node C" }
            .Select(name => new ClusterNode(name, ClusterNode.Settings(authority, folder, database, masterKey, apiKey, name, failover)))
            .ToArray();
        try
        {
            await Task.WhenAll(nodes.Select(n => n.StartAsync()));
            return await new KillRound([nodes[0], nodes[1]], nodes[2], apiKey).RunAsync();
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Row(string label, int round, RoundResult result)
    {
        var recovered = result.Recovered.Order().ToArray();
        // Requests still waiting at the kill or sent after it.
        var around = result.Load.Where(o => o.Kind != "recovery" && o.AnsweredAt >= 0).ToList();
        var creates = around.Where(o => o.Kind == "create").ToList();
        var gets = around.Where(o => o.Kind == "get").ToList();
        string Longest(List<Outcome> outcomes) => F(outcomes.Select(o => o.AnsweredAt - Math.Max(o.SentAt, 0)).DefaultIfEmpty(double.NaN).Max(), "0.0");
        string Failures(List<Outcome> outcomes)
        {
            var failed = outcomes.Where(o => o.Status is not (200 or 201)).GroupBy(o => o.Problem is null ? $"{o.Status}" : $"{o.Status} {o.Problem}")
                .OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} × {g.Key}").ToList();
            return failed.Count == 0 ? "none" : string.Join(", ", failed);
        }
        return $"| {label} | {round} | {F(recovered[^1], "0.0")} | {F(recovered[recovered.Length / 2], "0.0")} "
            + $"| {creates.Count(o => o.Status == 201)} | {Longest(creates)} | {Failures(creates)} "
            + $"| {gets.Count(o => o.Status == 200)} | {Longest(gets)} | {Failures(gets)} |";
    }

    private static string Markdown(List<string> rows, int rounds, TimeSpan took, DateTime started, string loadBefore)
    {
        var md = new StringBuilder();
        md.AppendLine(Reproduce(Command, took, started, Harness.SourceState()));
        md.AppendLine();
        md.AppendLine($"Machine: {Harness.Machine("the three nodes, PostgreSQL and the load all on these cores")}. Load average (1 / 5 / 15 min) {loadBefore} at the start, {Harness.LoadAverage()} at the end.");
        md.AppendLine();
        md.AppendLine($"Three nodes (postgres mode, mutual TLS) on one throw-away PostgreSQL. Each round: {KillRound.SourcesOnVictim} sources created through node C, then {KillRound.Workers} clients closed-loop through nodes A and B in turn, half creating, half getting those sources; "
            + $"{KillRound.Before.TotalSeconds:0} s in, node C is killed with SIGKILL, and from that moment each of its {KillRound.SourcesOnVictim} sources is read through A or B until it answers 200 (asking again 0.1 s after each 503); the load runs on for {KillRound.After.TotalSeconds:0} s after the kill. "
            + $"{rounds} rounds per setting, each on a fresh cluster. Times are the client's, in seconds from the kill (a request sent before it counts from the kill).");
        md.AppendLine();
        md.AppendLine("| settings | round | all of C's sources answer again after (s) | median (s) | creates after the kill: 201 | longest create wait (s) | creates refused | gets: 200 | longest get wait (s) | gets refused |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |");
        foreach (var row in rows) md.AppendLine(row);
        return md.ToString();
    }
}
