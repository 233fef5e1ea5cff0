using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Sources.Load;

/// <summary>
/// <c>dotnet run -c Release --project bench/Sources.Load -- invented-keys [--count 100000] [--clients 32] [--counters PATH] [--gcdump PATH]</c>:
/// the service in embedded mode, sent <c>--count</c> requests each with a new random key id of the
/// right shape (<c>sk_&lt;12 hex&gt;_&lt;43 characters&gt;</c>), none of which exists. Prints what the service
/// holds before, right after and 20 s after: resident memory (from /proc); when dotnet-counters is
/// on PATH (or at <c>--counters</c>), Orleans' activation count and grain directory cache size; when dotnet-gcdump is on PATH (or at
/// <c>--gcdump</c>), the live GC heap after the full collection it induces, and what the largest types hold.
/// SOURCES_API_DLL runs another build of the service (e.g. an older commit's, for comparison).
/// </summary>
public static class InventedKeys
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = (int)Option(args, "--count", 100_000);
        var clients = (int)Option(args, "--clients", 32);
        var countersAt = Text(args, "--counters") ?? "dotnet-counters";
        var tools = new MemoryTools(countersAt, Text(args, "--gcdump") ?? "dotnet-gcdump");

        await using var service = await ServiceUnderTest.EmbeddedAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = service.BaseAddress };

        // Warm up: the code paths run (and are compiled) before the first snapshot.
        await Send(http, 2_000, clients);
        var before = await ServiceMemory.Snapshot(service, tools);
        var clock = Stopwatch.StartNew();
        var statuses = await Send(http, count, clients);
        var elapsed = clock.Elapsed;
        var after = await ServiceMemory.Snapshot(service, tools);
        await Task.Delay(TimeSpan.FromSeconds(20));
        var settled = await ServiceMemory.Snapshot(service, tools);

        Console.WriteLine($"{count:N0} requests with invented keys in {elapsed.TotalSeconds:0.0} s ({count / elapsed.TotalSeconds:N0}/s, {clients} clients): "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value:N0} × {(int)s.Key}")));
        Console.WriteLine();
        Console.WriteLine("| | resident memory | live GC heap (after a full GC) | grain activations (all types) | grain directory cache entries |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var (name, snapshot) in new[] { ("before", before), ("right after", after), ("20 s after", settled) })
            Console.WriteLine($"| {name} | {snapshot.Rss / 1048576.0:0.0} MiB | {Mb(snapshot.GcHeap)} | {Count(snapshot.Activations)} | {Count(snapshot.DirectoryCache)} |");
        Console.WriteLine();
        Console.WriteLine("Largest types on the heap right after (dotnet-gcdump report):");
        Console.WriteLine(after.Largest);
        return statuses.Keys.All(s => s == HttpStatusCode.Unauthorized) ? 0 : 1;
    }

    private static string Count(long? count) => count?.ToString("N0", CultureInfo.InvariantCulture) ?? "—";

    private static string Mb(double? bytes) => bytes is { } b ? $"{b / 1048576.0:0.0} MiB" : "—";

    /// <summary>Sends <paramref name="count"/> GETs of the listing, each with a key id never seen before, from <paramref name="clients"/> loops.</summary>
    private static async Task<Dictionary<HttpStatusCode, int>> Send(HttpClient http, int count, int clients)
    {
        var left = count;
        var statuses = new Dictionary<HttpStatusCode, int>();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/sources/");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                    $"sk_{RandomNumberGenerator.GetHexString(12, lowercase: true)}_{RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 43)}");
                using var response = await http.SendAsync(request);
                lock (statuses)
                    statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            }
        }));
        return statuses;
    }

    private static string? Text(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    private static double Option(string[] args, string name, double fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
