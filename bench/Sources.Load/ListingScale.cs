using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Npgsql;
using Sources.Bench;
using Sources.Silo.Storage;
using Sources.Silo.Storage.Sources;
using Sources.TestServers;
using static Sources.Bench.BenchmarksSection;

namespace Sources.Load;

/// <summary>
/// <c>dotnet run -c Release --project bench/Sources.Load -- listing-scale [--rows 1000000] [--creates 20000] [--accounts 10000] [--samples 200] [--no-write] [--output FILE]</c>:
/// the service in postgres mode on a throw-away PostgreSQL. <c>--creates</c> sources are created over
/// HTTP (the create rate); the table is then filled to <c>--rows</c> by copying those rows in SQL
/// (payload and listing columns exactly as the service wrote them, a new id and the next sequence),
/// first all in the caller's account, then spread over <c>--accounts</c> other accounts. Each time the
/// listing's pages and a get are timed over HTTP, one request at a time, and the sweep's claim is
/// timed through the product's own <see cref="SourceStore.ClaimDue"/>.
/// </summary>
public static class ListingScale
{
    private const string Command = Program.Command + " -- listing-scale";
    internal static readonly BenchmarksSection Section = new("Sources.Load listing-scale", "## Listing at scale (postgres mode)");

    /// <summary>The copies' ids start here, far above any id the service hands out in a run.</summary>
    private const long CopyIds = 1L << 52;

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = (int)Option(args, "--rows", 1_000_000);
        var creates = (int)Option(args, "--creates", 20_000);
        var accounts = (int)Option(args, "--accounts", 10_000);
        var samples = (int)Option(args, "--samples", 200);
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();

        await using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("sources");
        var md = new StringBuilder();
        var results = new List<(string Layout, string What, double[] Ms)>();
        string account;
        long oneId;
        await using (var service = await ServiceUnderTest.PostgresAsync(database))
        {
            var workload = new Workload(service.ApiKey);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = service.BaseAddress };
            if (await TimedCreates(http, workload, creates, md) is null) return 1;

            await using (var db = NpgsqlDataSource.Create(database))
            {
                (account, oneId) = await Template(db);
                await Seed(db, rows - creates, 0, account);
                results.AddRange(await Measure(http, workload, oneId, samples, "one account"));
                results.AddRange(await MeasureQueries(new StorageOptions { Mode = StorageMode.Postgres, ConnectionString = database }, account, samples, "one account"));
                await using (var store = new SourceStore(new StorageOptions { Mode = StorageMode.Postgres, ConnectionString = database }))
                    results.Add(("one account", "sweep claim (100 due rows)", await Claims(store, samples)));
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds:0} s: one account measured");

                await Exec(db, $"DELETE FROM sources_source WHERE id >= {CopyIds}");
                await Seed(db, rows - creates, accounts, account);
                results.AddRange(await Measure(http, workload, oneId, samples, $"{accounts:N0} accounts"));
                results.AddRange(await MeasureQueries(new StorageOptions { Mode = StorageMode.Postgres, ConnectionString = database }, account, samples, $"{accounts:N0} accounts"));
                await using (var store = new SourceStore(new StorageOptions { Mode = StorageMode.Postgres, ConnectionString = database }))
                    results.Add(($"{accounts:N0} accounts", "sweep claim (100 due rows)", await Claims(store, samples)));
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds:0} s: many accounts measured");
            }
        }

        var report = new StringBuilder();
        report.AppendLine(Reproduce(Command + (args.Length > 1 ? " " + string.Join(' ', args.Skip(1)) : ""), clock.Elapsed, started, Harness.SourceState()));
        report.AppendLine();
        report.AppendLine($"Machine: {Harness.Machine("the service, PostgreSQL and the client share these 2 cores with other engineers' builds and tests")}.");
        report.AppendLine();
        report.Append(md);
        report.AppendLine($"Then {rows:N0} rows in the table: the {creates:N0} created plus copies of them made in SQL (payload and "
            + "listing columns as the service wrote them; new id, next sequence; due a day ahead so no sweep claims them while pages are timed; then `VACUUM ANALYZE` and a `CHECKPOINT`, so the copy's writes are not flushed while pages are timed). "
            + $"\"One account\": every row the caller's. \"{accounts:N0} accounts\": the caller keeps its {creates:N0}, the copies spread evenly "
            + $"over {accounts:N0} others. All created sources are POSTGRES on a closed port, so failing. {samples} requests each, one at a time, "
            + "after 20 unmeasured; milliseconds at the client, from the request to the last byte of the answer; the claim is "
            + "`SourceStore.ClaimDue` in the harness's process (the service idle beside it), claiming 100 at a time from half a million due.");
        report.AppendLine();
        report.AppendLine("| rows in | request | p50 ms | p99 ms | max ms |");
        report.AppendLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var (layout, what, ms) in results)
            report.AppendLine(CultureInfo.InvariantCulture, $"| {layout} | {what} | {Percentile(ms, 0.50):0.0} | {Percentile(ms, 0.99):0.0} | {ms[^1]:0.0} |");
        var markdown = report.ToString();
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (!args.Contains("--no-write"))
            Section.Write(Text(args, "--output"), markdown);
        return 0;
    }

    /// <summary>The caller's account and one of its sources, as the service wrote them.</summary>
    private static async Task<(string Account, long Id)> Template(NpgsqlDataSource db)
    {
        await using var command = db.CreateCommand("SELECT account, id FROM sources_source ORDER BY sequence LIMIT 1");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetInt64(1));
    }

    /// <summary>
    /// <paramref name="copies"/> copies of the service's rows, cycling through them; each copy in the
    /// caller's account (<paramref name="accounts"/> = 0) or in one of that many others. Due a day on,
    /// spread over an hour. Analyzed afterwards, as autovacuum would in time.
    /// </summary>
    private static async Task Seed(NpgsqlDataSource db, int copies, int accounts, string account)
    {
        var clock = Stopwatch.StartNew();
        var dueFrom = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds();
        var accountOf = accounts == 0 ? "@account" : $"'bench-account-' || (g % {accounts})";
        await using (var command = db.CreateCommand($"""
            WITH t AS (SELECT row_number() OVER (ORDER BY sequence) - 1 AS n, * FROM sources_source WHERE id < {CopyIds}),
                 c AS (SELECT count(*) AS total FROM t)
            INSERT INTO sources_source (id, account, type, row_version, payload, due_at,
                status, credential_expires_at, account_name, name_folded, created_at, updated_at, next_check_at)
            SELECT {CopyIds} + g, {accountOf}, t.type, t.row_version, t.payload, @due_from + (g::bigint * 3600000 / @copies),
                t.status, t.credential_expires_at, t.account_name, t.name_folded, t.created_at, t.updated_at, t.next_check_at
            FROM generate_series(0, @copies - 1) AS g, c, t
            WHERE t.n = g % c.total
            ORDER BY g
            """))
        {
            command.CommandTimeout = 3600;
            command.Parameters.AddWithValue("account", account);
            command.Parameters.AddWithValue("copies", copies);
            command.Parameters.AddWithValue("due_from", dueFrom);
            await command.ExecuteNonQueryAsync();
        }
        await Exec(db, "VACUUM ANALYZE sources_source");
        // The copy's dirty pages are flushed now, not by a checkpoint that lands while pages are timed.
        await Exec(db, "CHECKPOINT");
        Console.WriteLine($"  {copies:N0} copies ({(accounts == 0 ? "one account" : $"{accounts} accounts")}) in {clock.Elapsed.TotalSeconds:0} s");
    }

    private static async Task Exec(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        command.CommandTimeout = 3600;
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<List<(string, string, double[])>> Measure(HttpClient http, Workload workload, long id, int samples, string layout)
    {
        var pages = new (string What, string Query)[]
        {
            ("first page (20)", ""),
            ("first page (100)", "?limit=100"),
            ("status=healthy (matches nothing)", "?status=healthy"),
            ("status=failing (matches all)", "?status=failing"),
            ("type=MYSQL (matches nothing)", "?type=MYSQL"),
            ("type=POSTGRES (matches all)", "?type=POSTGRES"),
            ("type=MYSQL&status=healthy (nothing)", "?type=MYSQL&status=healthy"),
            ("q=nomatch (matches nothing)", "?q=nomatch"),
            ("q=gres (matches all)", "?q=gres"),
        };
        var results = new List<(string, string, double[])>();
        foreach (var (what, query) in pages)
            results.Add((layout, $"list {what}", await Time(http, () => workload.Authorized(new HttpRequestMessage(HttpMethod.Get, "/api/v1/sources/" + query)), samples)));
        results.Add((layout, "get", await Time(http, () => workload.Get(id), samples)));
        foreach (var (_, what, ms) in results)
            Console.WriteLine($"  {layout}: {what}: p50 {Percentile(ms, 0.5):0.0} ms, p99 {Percentile(ms, 0.99):0.0} ms");
        return results;
    }

    /// <summary>
    /// The same pages' queries alone, through the product's <see cref="SourceListingStore"/> in the
    /// harness's process: what the database takes, without HTTP, the service or its scheduling.
    /// </summary>
    internal static async Task<List<(string, string, double[])>> MeasureQueries(StorageOptions storage, string account, int samples, string layout)
    {
        var pages = new (string What, string? Type, string? Status, string? Search)[]
        {
            ("first page (20)", null, null, null),
            ("status=healthy (matches nothing)", null, "healthy", null),
            ("type=MYSQL (matches nothing)", "MYSQL", null, null),
            ("q=nomatch (matches nothing)", null, null, "nomatch"),
            ("q=gres (matches all)", null, null, "gres"),
        };
        await using var store = new SourceListingStore(storage);
        var results = new List<(string, string, double[])>();
        foreach (var (what, type, status, search) in pages)
        {
            var times = new List<double>(samples);
            for (var i = -20; i < samples; i++)
            {
                var now = DateTimeOffset.UtcNow;
                var clock = Stopwatch.StartNew();
                await store.Page(new SourcePageQuery(account, long.MaxValue, 21, type, status, search, now, now.AddDays(7)));
                if (i >= 0) times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            results.Add((layout, $"query only: {what}", [.. times]));
            Console.WriteLine($"  {layout}: query only: {what}: p50 {Percentile([.. times], 0.5):0.0} ms, p99 {Percentile([.. times], 0.99):0.0} ms");
        }
        return results;
    }

    private static async Task<double[]> Time(HttpClient http, Func<HttpRequestMessage> request, int samples)
    {
        var times = new List<double>(samples);
        for (var i = -20; i < samples; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.SendAsync(request());
            await response.Content.ReadAsByteArrayAsync();
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"{request().RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            if (i >= 0) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return [.. times];
    }

    /// <summary>The sweep's claim as it runs it, half an hour into the copies' hour of due times.</summary>
    internal static async Task<double[]> Claims(SourceStore store, int samples)
    {
        var now = DateTimeOffset.UtcNow.AddDays(1).AddMinutes(30);
        var times = new List<double>(samples);
        for (var i = -20; i < samples; i++)
        {
            var clock = Stopwatch.StartNew();
            var claimed = await store.ClaimDue(now, now.AddDays(1), 100);
            if (claimed.Length != 100) throw new InvalidOperationException($"Claimed {claimed.Length}, not 100.");
            if (i >= 0) times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return [.. times];
    }

    /// <summary>
    /// <paramref name="count"/> creates over HTTP from 32 clients, their rate added to the report;
    /// null when any create was not a 201.
    /// </summary>
    internal static async Task<double?> TimedCreates(HttpClient http, Workload workload, int count, StringBuilder md)
    {
        var creating = Stopwatch.StartNew();
        var statuses = await Create(http, workload, count, clients: 32);
        var rate = count / creating.Elapsed.TotalSeconds;
        Console.WriteLine($"  {count:N0} creates in {creating.Elapsed.TotalSeconds:0.0} s ({rate:0} /s): "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value:N0} × {(int)s.Key}")));
        if (statuses.Keys.Any(s => s != HttpStatusCode.Created)) return null;
        md.AppendLine($"Create rate: {count:N0} POSTGRES creates over HTTP from 32 clients into an empty table, "
            + $"**{rate:0} creates/s** ({creating.Elapsed.TotalSeconds:0.0} s).");
        md.AppendLine();
        return rate;
    }

    internal static async Task<Dictionary<HttpStatusCode, int>> Create(HttpClient http, Workload workload, int count, int clients)
    {
        var left = count;
        var statuses = new Dictionary<HttpStatusCode, int>();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Decrement(ref left) >= 0)
            {
                using var response = await http.SendAsync(workload.Create());
                lock (statuses)
                    statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            }
        }));
        return statuses;
    }

    internal static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string? Text(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    private static double Option(string[] args, string name, double fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
