using System.Diagnostics;
using Sources.Silo.Scheduling;
using Sources.Silo.Storage;
using Sources.Silo.Storage.Sources;

namespace Sources.Benchmarks;

/// <summary>
/// What a heavy-work mark costs a probe: one mark written and removed (two statements, each
/// committed on its own), <c>count</c> times with <c>parallel</c> probes at once, on an embedded
/// (SQLite) data folder in /tmp. See BENCHMARKS.md, "Heavy-work marks".
/// </summary>
public static class ProbeMarkCost
{
    public static async Task Run(int count, int parallel)
    {
        var folder = Directory.CreateTempSubdirectory("sources-mark-cost-").FullName;
        try
        {
            var options = new StorageOptions { Mode = StorageMode.Embedded, DataDirectory = folder };
            await new SchemaMigrator(options).MigrateAsync();
            await using var store = new ProbeMarkStore(options);
            var next = 0L;
            var latencies = new double[count];
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
            {
                long i;
                while ((i = Interlocked.Increment(ref next)) <= count)
                {
                    var started = Stopwatch.GetTimestamp();
                    await store.Mark(new ProbeMark(i, "bench", i, DateTimeOffset.UtcNow));
                    await store.Remove(i, i);
                    latencies[i - 1] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }));
            var took = clock.Elapsed;
            Array.Sort(latencies);
            Console.WriteLine($"{count} marks written and removed, {parallel} at once, in {took.TotalSeconds:0.00} s: "
                + $"{count / took.TotalSeconds:0} a second; per probe p50 {latencies[count / 2]:0.00} ms, p99 {latencies[(int)(count * 0.99)]:0.00} ms");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
