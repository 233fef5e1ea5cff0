using System.Diagnostics;
using System.Net;

namespace Sources.Load;

/// <summary>How long one measurement runs: a warm-up, then the measured part, each bounded by time and by count.</summary>
public sealed record LoadLimits(TimeSpan Warmup, TimeSpan Duration, int MaxRequests);

/// <summary>One measured run: what was answered as expected, in how long, and what was not.</summary>
public sealed record LoadResult(int Clients, int Completed, int Failed, TimeSpan Elapsed, double[] SortedLatenciesMs, string? FirstFailure)
{
    public double RequestsPerSecond => Completed / Elapsed.TotalSeconds;
    public double P50 => Percentile(SortedLatenciesMs, 0.50);
    public double P99 => Percentile(SortedLatenciesMs, 0.99);

    /// <summary>Runs of the same load one after another, as one run.</summary>
    public static LoadResult Merge(IReadOnlyList<LoadResult> parts) => new(
        parts[0].Clients, parts.Sum(p => p.Completed), parts.Sum(p => p.Failed), TimeSpan.FromTicks(parts.Sum(p => p.Elapsed.Ticks)),
        [.. parts.SelectMany(p => p.SortedLatenciesMs).Order()], parts.Select(p => p.FirstFailure).FirstOrDefault(f => f is not null));

    /// <summary>Nearest rank of sorted values; NaN when there are none.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>
/// Closed-loop load: N clients, each sending its next request when the last one answered, over one
/// keep-alive connection each (SocketsHttpHandler). Every loop stops at its deadline or its count.
/// </summary>
public static class LoadRunner
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <param name="request">The n-th request (n counts from 1 across all clients).</param>
    /// <param name="answered">Sees each expected answer's body, e.g. to collect the ids created.</param>
    /// <param name="measuring">Called between the warm-up and the measured part.</param>
    public static async Task<LoadResult> RunAsync(
        Uri baseAddress, int clients, LoadLimits limits, HttpStatusCode expected,
        Func<long, HttpRequestMessage> request, Action<byte[]>? answered = null, Action? measuring = null)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = clients,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = RequestTimeout };
        await Phase(http, clients, limits.Warmup, limits.MaxRequests, expected, request, answered);
        measuring?.Invoke();
        return await Phase(http, clients, limits.Duration, limits.MaxRequests, expected, request, answered);
    }

    private static async Task<LoadResult> Phase(
        HttpClient http, int clients, TimeSpan length, int maxRequests, HttpStatusCode expected,
        Func<long, HttpRequestMessage> request, Action<byte[]>? answered)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        long issued = 0;
        var failed = 0;
        string? firstFailure = null;
        var latencies = new List<double>[clients];

        async Task Client(int index)
        {
            await Task.Yield();
            var mine = latencies[index] = new List<double>(4096);
            long n;
            while (Stopwatch.GetTimestamp() < deadline && (n = Interlocked.Increment(ref issued)) <= maxRequests)
            {
                using var message = request(n);
                var started = Stopwatch.GetTimestamp();
                string? failure;
                try
                {
                    using var response = await http.SendAsync(message);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    failure = response.StatusCode == expected ? null : $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}";
                    if (failure is null) answered?.Invoke(body);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failure = $"{e.GetType().Name}: {e.Message}";
                }

                if (failure is null)
                {
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstFailure, failure, null);
                }
            }
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(Client));
        clock.Stop();
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(clients, all.Length, failed, clock.Elapsed, all, firstFailure);
    }
}
