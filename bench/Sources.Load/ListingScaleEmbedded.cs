using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Sources.Bench;
using Sources.Silo.Storage;
using Sources.Silo.Storage.Sources;
using static Sources.Bench.BenchmarksSection;

namespace Sources.Load;

/// <summary>
/// <c>dotnet run -c Release --project bench/Sources.Load -- listing-scale --embedded [--rows 100000] [--creates 20000] [--samples 200] [--no-write] [--output FILE]</c>:
/// <see cref="ListingScale"/>'s pages, get and sweep claim in embedded mode, one account. <c>--creates</c>
/// sources are created over HTTP, then the service's SQLite table is filled to <c>--rows</c> by
/// copying those rows in SQL (payload and listing columns as the service wrote them, a new id and
/// the next sequence, due a day on), beside the running service as another writer would.
/// </summary>
public static class ListingScaleEmbedded
{
    private const string Command = Program.Command + " -- listing-scale";
    internal static readonly BenchmarksSection Section = new("Sources.Load listing-scale --embedded", "## Listing at scale (embedded mode)");

    private const long CopyIds = 1L << 52;

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = (int)Option(args, "--rows", 100_000);
        var creates = (int)Option(args, "--creates", 20_000);
        var samples = (int)Option(args, "--samples", 200);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var md = new StringBuilder();
        var results = new List<(string Layout, string What, double[] Ms)>();

        await using (var service = await ServiceUnderTest.EmbeddedAsync())
        {
            var workload = new Workload(service.ApiKey);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = service.BaseAddress };
            if (await ListingScale.TimedCreates(http, workload, creates, md) is null) return 1;

            var storage = new StorageOptions { Mode = StorageMode.Embedded, DataDirectory = service.DataDirectory };
            var file = Path.Combine(service.DataDirectory, "sources.db");
            var (account, oneId) = await Seed($"Data Source={file};Default Timeout=60", rows - creates);
            results.AddRange(await ListingScale.Measure(http, workload, oneId, samples, "one account"));
            results.AddRange(await ListingScale.MeasureQueries(storage, account, samples, "one account"));
            await using (var store = new SourceStore(storage))
                results.Add(("one account", "sweep claim (100 due rows)", await ListingScale.Claims(store, samples)));
        }

        var report = new StringBuilder();
        report.AppendLine(Reproduce(Command + " " + string.Join(' ', args.Skip(1)), clock.Elapsed, started, Harness.SourceState()));
        report.AppendLine();
        report.AppendLine($"Machine: {Harness.Machine("the service and the client share these 2 cores with other engineers' builds and tests")}.");
        report.AppendLine();
        report.Append(md);
        report.AppendLine($"Then {rows:N0} rows in the service's SQLite table, all the caller's: the {creates:N0} created plus copies of them "
            + "made in SQL beside the running service (payload and listing columns as the service wrote them; new id, next sequence; "
            + $"due a day ahead, spread over an hour). POSTGRES sources on a closed port, so failing. {samples} requests each, one at a time, "
            + "after 20 unmeasured; milliseconds at the client, from the request to the last byte of the answer; \"query only\" is "
            + "`SourceListingStore.Page` and the claim `SourceStore.ClaimDue` (100 at a time), both in the harness's process on the same file.");
        report.AppendLine();
        report.AppendLine("| rows in | request | p50 ms | p99 ms | max ms |");
        report.AppendLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var (layout, what, ms) in results)
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {layout} | {what} | {ListingScale.Percentile(ms, 0.50):0.0} | {ListingScale.Percentile(ms, 0.99):0.0} | {ms[^1]:0.0} |");
        var markdown = report.ToString();
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (!args.Contains("--no-write"))
            Section.Write(Text(args, "--output"), markdown);
        return 0;
    }

    /// <summary>Copies the service's rows until <paramref name="copies"/> more are there, a pass over them per statement; the caller's account and one source.</summary>
    private static async Task<(string Account, long Id)> Seed(string connectionString, int copies)
    {
        var clock = Stopwatch.StartNew();
        await using var db = new SqliteConnection(connectionString);
        await db.OpenAsync();
        string account;
        long id, total;
        await using (var first = db.CreateCommand())
        {
            first.CommandText = "SELECT account, id, (SELECT count(*) FROM sources_source) FROM sources_source ORDER BY sequence LIMIT 1";
            await using var reader = await first.ExecuteReaderAsync();
            await reader.ReadAsync();
            (account, id, total) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
        }
        var dueFrom = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();
        for (long done = 0; done < copies; done += total)
        {
            await using var command = db.CreateCommand();
            command.CommandTimeout = 3600;
            command.CommandText = """
                INSERT INTO sources_source (id, account, type, row_version, payload, due_at,
                    status, credential_expires_at, account_name, name_folded, created_at, updated_at, next_check_at)
                SELECT @ids + @done + n, account, type, row_version, payload, @due_from + ((@done + n) * 3600000 / @copies),
                    status, credential_expires_at, account_name, name_folded, created_at, updated_at, next_check_at
                FROM (SELECT row_number() OVER (ORDER BY sequence) - 1 AS n, * FROM sources_source WHERE id < @ids)
                WHERE @done + n < @copies
                ORDER BY n
                """;
            command.Parameters.AddWithValue("ids", CopyIds);
            command.Parameters.AddWithValue("done", done);
            command.Parameters.AddWithValue("copies", copies);
            command.Parameters.AddWithValue("due_from", dueFrom);
            await command.ExecuteNonQueryAsync();
        }
        await using (var analyze = db.CreateCommand())
        {
            analyze.CommandText = "ANALYZE";
            await analyze.ExecuteNonQueryAsync();
        }
        Console.WriteLine($"  {copies:N0} copies in {clock.Elapsed.TotalSeconds:0} s");
        return (account, id);
    }

    private static string? Text(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    private static double Option(string[] args, string name, double fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
