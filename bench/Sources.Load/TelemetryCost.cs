using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sources.Load;

/// <summary>
/// <c>dotnet run -c Release --project bench/Sources.Load -- telemetry [--clients 1,8] [--rounds 5] [--seconds 5] [--sources 200]</c>:
/// two embedded services side by side, one with telemetry off (no OTLP endpoint) and one exporting
/// metrics and traces over OTLP/HTTP to a loopback collector in this process that takes each
/// export and throws it away; the same get load on each, in alternating rounds so a burst of other
/// work on the shared cores falls on both alike. Prints get req/s and latency of each and the ratio.
/// </summary>
public static class TelemetryCost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var clientCounts = (Text(args, "--clients") ?? "1,8").Split(',').Select(int.Parse).ToArray();
        var rounds = (int)Option(args, "--rounds", 5);
        var round = new LoadLimits(TimeSpan.FromSeconds(Option(args, "--warmup", 1)), TimeSpan.FromSeconds(Option(args, "--seconds", 5) / rounds), 200_000);
        var sources = (int)Option(args, "--sources", 200);

        await using var collector = await StartCollector();
        var endpoint = collector.Urls.First();
        await using var off = await ServiceUnderTest.EmbeddedAsync(new Dictionary<string, string>());
        await using var on = await ServiceUnderTest.EmbeddedAsync(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        var services = new[] { ("off", off), ("on", on) };
        var ids = new Dictionary<string, long[]>();
        foreach (var (name, service) in services)
            ids[name] = await CreateAsync(service, sources);

        Console.WriteLine($"| telemetry | clients | get req/s | p50 ms | p99 ms |");
        Console.WriteLine($"| --- | ---: | ---: | ---: | ---: |");
        var ratios = new List<string>();
        foreach (var clients in clientCounts)
        {
            var results = services.ToDictionary(s => s.Item1, _ => new List<LoadResult>());
            for (var i = 0; i < rounds; i++)
                foreach (var (name, service) in i % 2 == 0 ? services : services.Reverse())
                {
                    var workload = new Workload(service.ApiKey);
                    var mine = ids[name];
                    results[name].Add(await LoadRunner.RunAsync(service.BaseAddress, clients, round, HttpStatusCode.OK, n => workload.Get(mine[n % mine.Length])));
                }
            var merged = results.ToDictionary(r => r.Key, r => LoadResult.Merge(r.Value));
            foreach (var (name, result) in merged)
            {
                if (result.Failed > 0)
                    throw new InvalidOperationException($"telemetry {name}: {result.Failed} gets failed: {result.FirstFailure}");
                Console.WriteLine(FormattableString.Invariant($"| {name} | {clients} | {result.RequestsPerSecond:N0} | {result.P50:0.00} | {result.P99:0.00} |"));
            }
            ratios.Add(FormattableString.Invariant($"{clients} clients: on / off = {merged["on"].RequestsPerSecond / merged["off"].RequestsPerSecond:0.00}×"));
        }
        Console.WriteLine();
        Console.WriteLine(string.Join("; ", ratios));
        Console.WriteLine(FormattableString.Invariant($"Exports the collector received: {collector.Services.GetRequiredService<Exports>().Count:N0}"));
        return 0;
    }

    private static async Task<long[]> CreateAsync(ServiceUnderTest service, int count)
    {
        var workload = new Workload(service.ApiKey);
        var created = new System.Collections.Concurrent.ConcurrentBag<long>();
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        for (var i = 0; i < count; i++)
        {
            using var answer = await http.SendAsync(workload.Create());
            answer.EnsureSuccessStatusCode();
            created.Add(Workload.IdOf(await answer.Content.ReadAsByteArrayAsync()));
        }
        return [.. created.Order()];
    }

    private sealed class Exports
    {
        private int _count;
        public int Count => _count;
        public void Add() => Interlocked.Increment(ref _count);
    }

    private static async Task<WebApplication> StartCollector()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<Exports>();
        var collector = builder.Build();
        collector.MapPost("/v1/{signal}", async (HttpContext http, Exports exports) =>
        {
            await http.Request.Body.CopyToAsync(Stream.Null);
            exports.Add();
            return Results.Ok();
        });
        await collector.StartAsync();
        return collector;
    }

    private static double Option(string[] args, string name, double fallback) =>
        Text(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? Text(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
