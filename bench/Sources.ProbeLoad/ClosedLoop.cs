using System.Diagnostics;

namespace Sources.ProbeLoad;

/// <summary>One measured stretch: how many operations ended in it, over how long, and the CPU this process used.</summary>
internal sealed record Measured(long Operations, TimeSpan Elapsed, TimeSpan Cpu)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
    public double CpuMsPerOperation => Cpu.TotalMilliseconds / Math.Max(1, Operations);
    public double CoresBusy => Cpu / Elapsed;

    public static Measured Sum(IEnumerable<Measured> parts)
    {
        var all = parts.ToList();
        return new(all.Sum(p => p.Operations), TimeSpan.FromTicks(all.Sum(p => p.Elapsed.Ticks)), TimeSpan.FromTicks(all.Sum(p => p.Cpu.Ticks)));
    }
}

/// <summary>
/// N workers, each starting its next operation when the last ended; a warm-up, then a measured
/// stretch, in which operations are counted by <c>count</c> (the node's meter) or by the loop itself.
/// </summary>
internal static class ClosedLoop
{
    public static TimeSpan ProcessCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    public static async Task<Measured> RunAsync(int workers, TimeSpan warmup, TimeSpan duration, Func<long, Task> operation, Func<long>? count = null)
    {
        long issued = 0, done = 0, failed = 0;
        Exception? firstFailure = null;
        var stop = false;

        async Task Worker()
        {
            await Task.Yield();
            while (!Volatile.Read(ref stop))
            {
                try
                {
                    await operation(Interlocked.Increment(ref issued));
                    Interlocked.Increment(ref done);
                }
                catch (Exception e)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstFailure, e, null);
                }
            }
        }

        long Count() => count?.Invoke() ?? Volatile.Read(ref done);
        var running = Enumerable.Range(0, workers).Select(_ => Worker()).ToArray();
        // The clock of a benchmark, not a synchronisation: the workers run on their own.
        await Task.Delay(warmup);
        var (count0, cpu0, clock) = (Count(), ProcessCpu(), Stopwatch.StartNew());
        await Task.Delay(duration);
        var (count1, cpu1, elapsed) = (Count(), ProcessCpu(), clock.Elapsed);
        Volatile.Write(ref stop, true);
        await Task.WhenAll(running);
        if (failed > 0)
            Console.WriteLine($"    ! {failed} operations failed; first: {firstFailure!.GetType().Name}: {firstFailure.Message}");
        return new Measured(count1 - count0, elapsed, cpu1 - cpu0);
    }
}
