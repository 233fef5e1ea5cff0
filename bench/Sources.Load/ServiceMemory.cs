using System.Diagnostics;
using System.Globalization;

namespace Sources.Load;

/// <summary>Where the harness finds dotnet-counters and dotnet-gcdump (a missing tool leaves its columns empty).</summary>
internal sealed record MemoryTools(string Counters, string GcDump);

/// <summary>
/// What the service holds at one moment: resident memory, the live GC heap, Orleans' activations and
/// directory cache, and the memory the collector had committed (as of its last collection, read before the heap dump's).
/// </summary>
internal sealed record MemoryState(long Rss, double? GcHeap, long? Activations, long? DirectoryCache, string Largest, double? GcCommitted = null);

/// <summary>
/// Reads what the service process holds: resident memory from /proc; when dotnet-counters is there,
/// Orleans' activation count and grain directory cache size; when dotnet-gcdump is there, the live GC
/// heap after the full collection it induces, and what the largest types hold.
/// </summary>
internal static class ServiceMemory
{
    public static async Task<MemoryState> Snapshot(ServiceUnderTest service, MemoryTools tools)
    {
        var rss = File.ReadLines($"/proc/{service.ProcessId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var rssBytes = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        var counters = await Counters(service.ProcessId, tools.Counters);
        var (heap, largest) = await Heap(service.ProcessId, tools.GcDump);
        return new MemoryState(rssBytes, heap,
            counters.TryGetValue("orleans-catalog-activations", out var total) ? (long)total : null,
            counters.TryGetValue("orleans-directory-cache-size", out var cached) ? (long)cached : null, largest,
            counters.TryGetValue("dotnet.gc.last_collection.memory.committed_size", out var committed) ? committed : null);
    }

    /// <summary>Orleans' activations in the service now (all grain types), or null without dotnet-counters.</summary>
    public static async Task<long?> Activations(int processId, MemoryTools tools) =>
        (await Counters(processId, tools.Counters)).TryGetValue("orleans-catalog-activations", out var total) ? (long)total : null;

    /// <summary>The live heap after the full GC dotnet-gcdump induces, and the largest groups of its report.</summary>
    private static async Task<(double?, string)> Heap(int processId, string gcdump)
    {
        var file = Path.Combine(Path.GetTempPath(), $"service-memory-{Guid.NewGuid():N}.gcdump");
        try
        {
            await Run(gcdump, "collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", file);
            if (!File.Exists(file)) return (null, "");
            var lines = (await Run(gcdump, "report", file)).Split('\n');
            var total = lines.FirstOrDefault(l => l.Contains("GC Heap bytes", StringComparison.Ordinal));
            double? bytes = total is null ? null : double.Parse(total.Trim().Split(' ')[0].Replace(",", ""), CultureInfo.InvariantCulture);
            // The report groups objects by type and size class; the 12 largest groups by bytes.
            var groups = lines.Select(l => (Line: l, Bytes: long.TryParse(l.Trim().Split(' ')[0].Replace(",", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var b) && l.Contains('[') ? b : -1))
                .Where(g => g.Bytes >= 0).OrderByDescending(g => g.Bytes).Take(12).Select(g => g.Line);
            return (bytes, string.Join('\n', groups));
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string> Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output;
    }

    /// <summary>
    /// The last value of each counter over a 3 s collection by dotnet-counters (summed over its
    /// dimensions, e.g. the GC heap's generations); empty when the tool is not there.
    /// </summary>
    private static async Task<Dictionary<string, double>> Counters(int processId, string tool)
    {
        var file = Path.Combine(Path.GetTempPath(), $"service-memory-{Guid.NewGuid():N}.csv");
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "--counters", "System.Runtime,Microsoft.Orleans",
                     "--format", "csv", "-o", file, "--duration", "00:00:00:03" })
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return [];
        }
        if (!File.Exists(file)) return [];
        // Columns: Timestamp,Provider,Counter Name,Counter Type,Mean/Increment. Keep each series' last value.
        var last = new Dictionary<string, double>();
        foreach (var line in File.ReadLines(file).Skip(1))
        {
            var columns = line.Split(',');
            if (columns.Length < 5 || !double.TryParse(columns[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
            last[columns[2]] = value;
        }
        File.Delete(file);
        return last.GroupBy(e => e.Key.Split('[')[0].Split(' ')[0].Trim()).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
    }
}
