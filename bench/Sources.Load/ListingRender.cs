using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Sources.Api.Apis;
using Sources.Api.Responses;
using Sources.Contracts;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using ProbeResult = Sources.Silo.Probing.ProbeResult;

namespace Sources.Load;

/// <summary>
/// <c>dotnet run -c Release --project bench/Sources.Load -- listing-render [--pages 3000] [--size 100] [--history 1]</c>:
/// where a listing page's CPU goes once its rows are read, in this process, one stage at a time:
/// the stored payloads into records (the service's own Orleans serializer), each shown as of now
/// (<see cref="ActiveSources.View"/>), the contract's views of them (<see cref="SourceViews"/>), and
/// the answer written as <see cref="ContractResult"/> writes it. The rows are failing POSTGRES
/// sources like listing-scale's (a refused connection in their history). Prints microseconds and
/// bytes allocated per page for each stage; writes nothing.
/// </summary>
public static class ListingRender
{
    public static int Run(string[] args)
    {
        var pages = (int)Option(args, "--pages", 3000);
        var size = (int)Option(args, "--size", 100);
        var history = (int)Option(args, "--history", 1);
        using var services = new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(SourceRecord).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer<SourceRecord>>();
        var payloads = Enumerable.Range(0, size).Select(i => serializer.SerializeToArray(Row(i, history))).ToArray();
        var settings = new ProbeSettings();
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var sink = new ArrayBufferWriter<byte>(1 << 20);

        SourceRecord[] Deserialize() => payloads.Select(p => serializer.Deserialize(p)!).ToArray();
        var records = Deserialize();
        SourceRecord[] Show() => records.Select(r => ActiveSources.View(r, null, now, settings)).ToArray();
        var shown = Show();
        SourcePage Views() => new() { Items = shown.Select(SourceViews.From).ToList(), NextCursor = "12345" };
        var page = Views();
        int Write()
        {
            sink.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(sink, JsonOutputOptions.Relaxed);
            page.WriteTo(writer, includeWriteOnly: false);
            writer.Flush();
            return sink.WrittenCount;
        }
        var bytes = Write();

        Console.WriteLine($"{size} sources a page, {history} result(s) in each history, {payloads.Sum(p => p.Length) / size} payload bytes each, {bytes:N0} bytes of answer; {pages:N0} pages a stage");
        Console.WriteLine("| stage | µs a page | KiB allocated a page |");
        Console.WriteLine("| --- | ---: | ---: |");
        Stage("payloads into records", pages, () => Deserialize());
        Stage("shown as of now", pages, () => Show());
        Stage("contract views", pages, () => Views());
        Stage("answer written", pages, () => Write());
        return 0;
    }

    private static void Stage<T>(string name, int pages, Func<T> stage)
    {
        for (var i = 0; i < pages / 10; i++) stage();
        GC.Collect();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < pages; i++) stage();
        var elapsed = clock.Elapsed;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Console.WriteLine($"| {name} | {elapsed.TotalMicroseconds / pages:0.0} | {allocated / 1024.0 / pages:0.0} |");
    }

    private static SourceRecord Row(int i, int history)
    {
        var created = DateTimeOffset.UtcNow.AddMinutes(-i);
        var results = Enumerable.Range(0, history).Select(h => ProbeResult.Failed(ProbeOutcome.Unreachable,
            "Could not connect to 127.0.0.1:9: the connection was refused.") with { LatencyMs = 1.25 + h, CheckedAt = created.AddSeconds(h) }).ToArray();
        return new SourceRecord
        {
            Id = 1_000_000 + i,
            Account = "account-bench",
            Type = "POSTGRES",
            AccountName = $"bench postgres {i}",
            SettingsJson = """{"host":"127.0.0.1","port":9,"database":"bench","username":"bench","ssl_mode":"disable"}""",
            SealedSecrets = new byte[96],
            SecretsSet = ["password"],
            Status = SourceStatus.Failing,
            CreatedAt = created,
            UpdatedAt = created,
            Version = 2,
            LastProbe = results.FirstOrDefault(),
            History = results,
            NextCheckAt = created.AddMinutes(15),
        };
    }

    private static double Option(string[] args, string name, double fallback) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
