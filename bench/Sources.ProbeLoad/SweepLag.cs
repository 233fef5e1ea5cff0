using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Secrets;
using Sources.Silo.Storage.Sources;
using Sources.TestServers;

namespace Sources.ProbeLoad;

/// <summary>Row 4: the lag samples (seconds), what the sweep started, and the node's CPU over the window.</summary>
internal sealed record SweepRow(int Sources, int BlackHoles, int Accounts, TimeSpan Interval, TimeSpan Window, double[] LagSeconds,
    Measured Background, IReadOnlyDictionary<string, long> Outcomes, int MaxWaiting, int MaxInFlight, int MaxDraining, double InsertSeconds);

/// <summary>
/// Row 4, on a real silo in this process: N sources written straight into the sources table through
/// the product's own store (sealed and serialized as a grain would), dealt over several accounts in
/// turn; every tenth is a black hole, so with ten accounts they are all one account's (a tenant
/// behind a firewall that drops, which the shares must keep from the others), the rest closed
/// ports; due times spread evenly over one interval,
/// as a node that has been running a while sees them. Then the sweep does its work for one interval,
/// and every second the lag is read as the sweep itself reads it (<c>SourceStore.OldestDue</c>: how
/// long the oldest check that is due and unclaimed has waited).
/// </summary>
internal static class SweepLag
{
    public static async Task<SweepRow> RunAsync(InProcessNode node, ProbeCounts counts, SilentListener blackHole, Options options)
    {
        var store = node.Services.GetRequiredService<SourceStore>();
        var serializer = node.Services.GetRequiredService<Serializer<SourceRecord>>();
        var sealer = node.Services.GetRequiredService<SecretSealer>();
        var closedPort = FreePort.Next();
        var interval = options.SweepInterval;
        var now = DateTimeOffset.UtcNow;
        var blackHoles = 0;

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, options.SweepSources), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var id = 2_000_000_000L + i;
            var hole = i % 10 == 0;
            if (hole) Interlocked.Increment(ref blackHoles);
            var settings = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["type"] = "POSTGRES", ["account_name"] = "PostgreSQL", ["hostname"] = "127.0.0.1", ["port"] = hole ? blackHole.Port : closedPort,
                ["username"] = "u", ["database_name"] = "d",
            });
            var due = now + interval * ((double)i / options.SweepSources);
            var record = new SourceRecord
            {
                Id = id, Account = $"tenant-{i % options.SweepAccounts}", Type = "POSTGRES", AccountName = "PostgreSQL",
                SettingsJson = settings, SealedSecrets = sealer.Seal(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["password"] = "p-secret" }), id),
                SecretsSet = ["password"], CreatedAt = now, UpdatedAt = now, Version = 1, NextCheckAt = due,
            };
            if (await store.Insert(new SourceRow(id, record.Account, record.Type, serializer.SerializeToArray(record), due, SourceColumns.Of(record))) is null)
                throw new InvalidOperationException($"Source {id} exists already.");
        });
        var insertSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"    {options.SweepSources:N0} sources stored in {insertSeconds:0.0} s; sweeping for {options.SweepWindow.TotalSeconds:0} s");

        var lags = new List<double>();
        var (maxWaiting, maxInFlight, maxDraining) = (0, 0, 0);
        var before = counts.ByOutcome();
        var (started, cpu0) = (counts.Ended("background"), ClosedLoop.ProcessCpu());
        var window = Stopwatch.StartNew();
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (window.Elapsed < options.SweepWindow && await tick.WaitForNextTickAsync())
        {
            var at = DateTimeOffset.UtcNow;
            lags.Add(await store.OldestDue(at) is { } oldest ? (at - oldest).TotalSeconds : 0);
            var gauges = counts.Gauges();
            maxWaiting = Math.Max(maxWaiting, gauges.WaitingBackground);
            maxInFlight = Math.Max(maxInFlight, gauges.InFlight);
            maxDraining = Math.Max(maxDraining, gauges.Draining);
        }
        var background = new Measured(counts.Ended("background") - started, window.Elapsed, ClosedLoop.ProcessCpu() - cpu0);
        var outcomes = counts.ByOutcome().Where(a => a.Key.Lane == "background")
            .Select(a => (a.Key.Outcome, a.Value - before.GetValueOrDefault(a.Key))).Where(a => a.Item2 > 0).ToDictionary(a => a.Outcome, a => a.Item2);
        return new SweepRow(options.SweepSources, blackHoles, options.SweepAccounts, interval, window.Elapsed, [.. lags],
            background, outcomes, maxWaiting, maxInFlight, maxDraining, insertSeconds);
    }
}
