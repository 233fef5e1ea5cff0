using System.Collections.Concurrent;
using System.Net;

namespace Sources.Load;

/// <summary>What the service is measured against: pgbench TPS, or the bare Kestrel endpoint's requests/s.</summary>
public sealed record Baseline(string Name, double PerSecond, double? P50 = null, double? P99 = null)
{
    public static Baseline Of(string name, LoadResult result) => new(name, result.RequestsPerSecond, result.P50, result.P99);
}

/// <summary>One line of the results: the service measured, and what it is measured against.</summary>
public sealed record Row(string Mode, string Operation, LoadResult Result, Baseline? Baseline, double[] HandlerMs, double CpuMsPerRequest, int SourcesBefore)
{
    /// <summary>What PostgreSQL did per create in this run, where it was watched.</summary>
    public PostgresCounters.PerCreate? Database { get; init; }

    /// <summary>Creates: the same load against bare Kestrel storing each body with one INSERT (postgres mode).</summary>
    public Baseline? Ceiling { get; init; }

    public double? Ratio => Baseline is { } b ? Result.RequestsPerSecond / b.PerSecond : null;
}

/// <summary>
/// Create, then get, against one running service at each concurrency. Each cell alternates with
/// its baselines in <see cref="Rounds"/> short rounds, added up, so that a burst of other work on
/// the shared cores falls on all of them alike.
/// </summary>
public sealed class ModeRun(string mode, ServiceUnderTest service, KestrelBaseline kestrel, LoadLimits limits)
{
    public static readonly int[] Concurrencies = [1, 8, 32];

    public const int Rounds = 5;

    /// <summary>One round's share of a cell; each round has its own connections, so its own (shorter) warm-up.</summary>
    private LoadLimits Round => limits with { Warmup = limits.Warmup / Rounds, Duration = limits.Duration / Rounds, MaxRequests = limits.MaxRequests / Rounds };

    private readonly Workload _workload = new(service.ApiKey);
    private readonly ConcurrentBag<long> _created = [];

    /// <param name="pgbench">The create baseline (postgres mode), or none.</param>
    /// <param name="counters">What the database did, looked at around the create run at the highest concurrency.</param>
    public async Task<List<Row>> CreatesAsync(PgBench? pgbench, PostgresCounters? counters)
    {
        var rows = new List<Row>();
        foreach (var clients in Concurrencies)
        {
            var watched = clients == Concurrencies.Max() ? counters : null;
            if (watched is not null) await Task.Delay(PostgresCounters.Settle);
            var before = watched is null ? null : await watched.TakeAsync();
            var createdBefore = _created.Count;

            // With baselines (postgres mode) the cell alternates with them in rounds; without, it runs whole.
            var (rounds, cell) = pgbench is null ? (1, limits) : (Rounds, Round);
            var pgbenchTps = new List<double>();
            var ceilings = new List<LoadResult>();
            var services = new List<Row>();
            IReadOnlyList<(string, double)> activity = [];
            for (var i = 0; i < rounds; i++)
            {
                var label = rounds == 1 ? "" : $" (round {i + 1})";
                if (pgbench is not null)
                {
                    Console.WriteLine($"  pgbench, {clients} clients{label}");
                    pgbenchTps.Add(await pgbench.RunAsync(clients, cell.Duration));
                    Console.WriteLine($"  bare Kestrel + INSERT, {clients} clients{label}");
                    ceilings.Add(await LoadRunner.RunAsync(kestrel.BaseAddress, clients, cell, HttpStatusCode.Created, _ => _workload.Create()));
                }

                // The service's connections are sampled in its last round: in between, the baselines run.
                var sampled = i == rounds - 1 ? watched : null;
                using var stopSampling = new CancellationTokenSource();
                var sampling = Task.FromResult<IReadOnlyList<(string, double)>>([]);
                services.Add(await MeasureAsync("create", clients, HttpMethod.Post, HttpStatusCode.Created, _ => _workload.Create(),
                    body => _created.Add(Workload.IdOf(body)), baseline: null, cell, label,
                    measuring: () => sampling = sampled?.SampleActivityAsync(stopSampling.Token) ?? sampling));
                await stopSampling.CancelAsync();
                if (sampled is not null) activity = await sampling;
            }

            var row = Combined(services) with
            {
                Baseline = pgbench is null ? null : new Baseline("pgbench", pgbenchTps.Average()),
                Ceiling = pgbench is null ? null : Baseline.Of("bare Kestrel + INSERT", Checked(LoadResult.Merge(ceilings), "bare Kestrel + INSERT")),
            };
            if (watched is not null)
            {
                await Task.Delay(PostgresCounters.Settle);
                row = row with { Database = PostgresCounters.Between(before!, await watched.TakeAsync(), _created.Count - createdBefore, activity) };
            }
            rows.Add(row);
        }

        // The first create row ran on an empty account; this one runs on the account the others
        // filled, so the two show what a create costs as the account grows.
        rows.Add(await MeasureAsync("create again", 1, HttpMethod.Post, HttpStatusCode.Created, _ => _workload.Create(),
            body => _created.Add(Workload.IdOf(body)), baseline: null));
        return rows;
    }

    /// <summary>Gets of the sources the creates made, round robin; the baseline answers the same bytes.</summary>
    public async Task<List<Row>> GetsAsync()
    {
        var ids = _created.Order().ToArray();
        if (ids.Length == 0) throw new InvalidOperationException("No source was created, so there is nothing to get.");
        kestrel.Body = await SampleAnswerAsync(ids[0]);
        HttpRequestMessage Get(long n) => _workload.Get(ids[n % ids.Length]);

        var rows = new List<Row>();
        foreach (var clients in Concurrencies)
        {
            var baselines = new List<LoadResult>();
            var services = new List<Row>();
            for (var i = 0; i < Rounds; i++)
            {
                Console.WriteLine($"  bare Kestrel, {clients} clients (round {i + 1})");
                baselines.Add(await LoadRunner.RunAsync(kestrel.BaseAddress, clients, Round, HttpStatusCode.OK, Get));
                services.Add(await MeasureAsync("get", clients, HttpMethod.Get, HttpStatusCode.OK, Get, null, null, Round, $" (round {i + 1})"));
            }
            rows.Add(Combined(services) with { Baseline = Baseline.Of("bare Kestrel", Checked(LoadResult.Merge(baselines), "bare Kestrel")) });
        }
        return rows;
    }

    private async Task<Row> MeasureAsync(
        string operation, int clients, HttpMethod method, HttpStatusCode expected, Func<long, HttpRequestMessage> request,
        Action<byte[]>? answered, Baseline? baseline, LoadLimits? cell = null, string round = "", Action? measuring = null)
    {
        Console.WriteLine($"  {mode} {operation}, {clients} clients{round}");
        var cpuAtStart = TimeSpan.Zero;
        var sourcesBefore = _created.Count;
        var result = await LoadRunner.RunAsync(service.BaseAddress, clients, cell ?? limits, expected, request, answered, measuring: () =>
        {
            service.TakeHandlerTimes(method.Method);
            cpuAtStart = service.CpuTime;
            measuring?.Invoke();
        });
        var cpu = service.CpuTime - cpuAtStart;
        // The service writes its request log lines in batches; let the last ones arrive.
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        return new Row(mode, operation, Checked(result, $"{mode} {operation}"), baseline,
            service.TakeHandlerTimes(method.Method), cpu.TotalMilliseconds / Math.Max(1, result.Completed), sourcesBefore);
    }

    /// <summary>The rounds of one cell as one row: requests, latencies, in-service times and CPU added up.</summary>
    private static Row Combined(List<Row> rounds)
    {
        var merged = LoadResult.Merge([.. rounds.Select(r => r.Result)]);
        return rounds[0] with
        {
            Result = merged,
            HandlerMs = [.. rounds.SelectMany(r => r.HandlerMs).Order()],
            CpuMsPerRequest = rounds.Sum(r => r.CpuMsPerRequest * r.Result.Completed) / Math.Max(1, merged.Completed),
        };
    }

    private async Task<byte[]> SampleAnswerAsync(long id)
    {
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        using var response = await http.SendAsync(_workload.Get(id));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>A run with failures is reported, not hidden: it says how many and the first one.</summary>
    private static LoadResult Checked(LoadResult result, string what)
    {
        if (result.Failed > 0)
            Console.WriteLine($"  ! {what}: {result.Failed} failed requests; first: {result.FirstFailure}");
        return result;
    }
}
