using System.Diagnostics;
using Sources.Bench;
using Sources.TestServers;

namespace Sources.ProbeLoad;

/// <summary>One backlog size: the quick source's tests and the black holes' own tests, in milliseconds.</summary>
internal sealed record BacklogRow(int BlackHoles, double CreateSeconds, double[] QuickMs, Dictionary<string, int> QuickOutcomes, int QuickProbes,
    double[] HoleMs, Dictionary<string, int> HoleOutcomes, int HeldOpenAtMost, int AcceptedSoFar);

/// <summary>
/// Row 3, through the real HTTP API of a child-process node: account "crowd" creates black-hole
/// sources (a listener that accepts and never answers; each create starts a probe that holds for the
/// whole deadline), then account "other" tests one quick source (a closed port) again and again, and
/// a few of the crowd's own sources are tested too, since every test must answer within deadline + 1 s.
/// The backlog grows from the first size to the second on the same node.
/// </summary>
internal static class Backlog
{
    /// <summary>The other account's quick sources, tested in turn.</summary>
    public const int QuickSources = 50;

    public static async Task<List<BacklogRow>> RunAsync(Options options)
    {
        await using var blackHole = new SilentListener();
        // Two accounts creating and testing as fast as they can: no request limit, no source quota.
        var settings = new Dictionary<string, string>(ServiceProcess.Unlimited)
        {
            ["Sources__Probe__Deadline"] = options.Deadline.ToString(),
            // No re-check during the run: the backlog is the creates' own first probes and the tests.
            ["Sources__Probe__Interval"] = "1.00:00:00",
        };
        await using var node = await ServiceNode.StartAsync(settings, "crowd", "other");
        Console.WriteLine($"    service on {node.BaseAddress}");
        using var crowd = node.Client("crowd", options.Deadline + TimeSpan.FromSeconds(30));
        using var other = node.Client("other", options.Deadline + TimeSpan.FromSeconds(30));
        var quick = new long[QuickSources];
        for (var i = 0; i < quick.Length; i++)
            quick[i] = await ServiceNode.CreateAsync(other, FreePort.Next());
        var holes = new List<long>();
        var rows = new List<BacklogRow>();
        foreach (var size in options.Backlogs)
        {
            var clock = Stopwatch.StartNew();
            var add = size - holes.Count;
            var created = new System.Collections.Concurrent.ConcurrentBag<long>();
            await Parallel.ForEachAsync(Enumerable.Range(0, add), new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (_, _) => created.Add(await ServiceNode.CreateAsync(crowd, blackHole.Port)));
            holes.AddRange(created);
            var createSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"    {holes.Count:N0} black holes of account crowd ({add:N0} created in {createSeconds:0.0} s); testing");

            // The crowd's tests run meanwhile, a few at a time, each on a source of its own.
            var holeTimes = new System.Collections.Concurrent.ConcurrentBag<(double Ms, string Outcome, string? CheckedAt)>();
            var picks = Enumerable.Range(0, options.HoleTests).Select(i => holes[(int)((long)i * 7919 % holes.Count)]).Distinct().ToArray();
            var crowdTests = Parallel.ForEachAsync(picks, new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (id, _) => holeTimes.Add(await ServiceNode.TestAsync(crowd, id)));
            var quickTimes = new List<(double Ms, string Outcome, string? CheckedAt)>();
            for (var i = 0; i < options.QuickTests; i++)
                quickTimes.Add(await ServiceNode.TestAsync(other, quick[i % quick.Length]));
            Console.WriteLine($"    a quick test answered: {quickTimes[0].CheckedAt}, then {quickTimes[^1].CheckedAt}");
            await crowdTests;
            rows.Add(new BacklogRow(holes.Count, createSeconds,
                [.. quickTimes.Select(t => t.Ms).Order()], Tally(quickTimes.Select(t => t.Outcome)),
                quickTimes.Select((t, i) => (quick[i % quick.Length], t.CheckedAt)).Distinct().Count(),
                [.. holeTimes.Select(t => t.Item1).Order()], Tally(holeTimes.Select(t => t.Item2)),
                blackHole.MaxOpenAtOnce, blackHole.Accepted));
        }
        return rows;
    }

    private static Dictionary<string, int> Tally(IEnumerable<string> outcomes) =>
        outcomes.GroupBy(o => o).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());
}
