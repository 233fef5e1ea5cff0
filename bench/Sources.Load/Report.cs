using System.Text;
using System.Text.RegularExpressions;
using Sources.Bench;
using static Sources.Bench.BenchmarksSection;

namespace Sources.Load;

/// <summary>How the run was made, for the words around the tables.</summary>
public sealed record RunInfo(string Command, string Machine, string Source, LoadLimits Limits, DateTime StartedUtc, TimeSpan Took);

/// <summary>
/// The results as markdown, and their place in BENCHMARKS.md: the section "Service: create and get
/// throughput", between markers, so a rerun replaces its own numbers and nothing else.
/// </summary>
public static partial class Report
{
    internal static readonly BenchmarksSection Section = new("Sources.Load", "## Service: create and get throughput");
    private const double Target = 0.5;

    public static string Markdown(IReadOnlyList<Row> rows, RunInfo run)
    {
        var md = new StringBuilder();
        md.AppendLine(BenchmarksSection.Reproduce(run.Command, run.Took, run.StartedUtc, run.Source));
        md.AppendLine();
        md.AppendLine($"Machine: {run.Machine}. Shared with other engineers' builds and tests, so only the ratios of runs made side by side in this one run mean anything; absolute numbers move from run to run.");
        md.AppendLine();
        md.AppendLine($"Each cell: closed loop, N clients each on its own keep-alive connection (SocketsHttpHandler), {run.Limits.Warmup.TotalSeconds:0.#} s warm-up then {run.Limits.Duration.TotalSeconds:0.#} s or {run.Limits.MaxRequests:N0} requests, whichever ends first; each cell with baselines alternated with them in {ModeRun.Rounds} rounds of a {ModeRun.Rounds}th of that (warm-up included), added up, so that a burst of other work on the shared cores falls on all of them alike (embedded creates have no baseline and ran whole). Create: `POST /api/v1/sources/` with a valid POSTGRES body (pointing at a closed loopback port). Create again: one client once more, after the others, on the account they filled. Get: `GET /api/v1/sources/{{id}}/` round robin over the sources the creates made. Baselines: pgbench on the same PostgreSQL (`-n -c N -j min(2,N) -T {Math.Max(1, Math.Round(run.Limits.Duration.TotalSeconds / ModeRun.Rounds)):0}` per round, one single-row INSERT per transaction, autocommit; its rounds' TPS averaged), and a bare Kestrel endpoint inside the harness answering the service's own get bytes.");
        md.AppendLine();
        md.AppendLine("| mode | operation | clients | req/s | p50 ms | p99 ms | baseline | baseline /s (p50 / p99 ms) | ratio |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |");
        foreach (var row in rows)
        {
            var r = row.Result;
            md.AppendLine($"| {row.Mode} | {row.Operation} | {r.Clients} | {F(r.RequestsPerSecond, "N0")} | {F(r.P50, "0.00")} | {F(r.P99, "0.00")} | {row.Baseline?.Name ?? "—"} | {BaselineCell(row.Baseline)} | {(row.Ratio is { } ratio ? F(ratio, "0.00") + "×" : "—")} |");
        }
        if (rows.Where(r => r.Result.Failed > 0).ToList() is { Count: > 0 } failing)
        {
            md.AppendLine();
            foreach (var row in failing)
                md.AppendLine($"- {row.Mode} {row.Operation} at {row.Result.Clients}: {row.Result.Failed} requests failed (not counted); first: `{Trim(OneLine(row.Result.FirstFailure ?? ""), 160)}`");
        }

        md.AppendLine();
        md.AppendLine("Targets:");
        md.AppendLine();
        foreach (var row in rows.Where(r => r is { Mode: "postgres", Operation: "create", Result.Clients: 32 }))
            md.AppendLine($"- create ≥ {Target}× pgbench TPS at 32 clients (postgres): {Verdict(row)}");
        foreach (var row in rows.Where(r => r.Operation == "get"))
            md.AppendLine($"- get ≥ {Target}× bare Kestrel, {row.Mode}, {row.Result.Clients} clients: {Verdict(row)}");

        if (rows.Where(r => r.Ceiling is not null).ToList() is { Count: > 0 } ceilings)
        {
            md.AppendLine();
            md.AppendLine("What any HTTP service could do here (same run): the same create load against the bare Kestrel endpoint, which stores each body with one single-row INSERT into pgbench's table (Npgsql, pooled) and answers the new id; no validation, no sealing, no grain. Measured in the same rounds, between pgbench and the service.");
            md.AppendLine();
            md.AppendLine("| clients | pgbench TPS | bare Kestrel + INSERT /s (p50 / p99 ms) | its ratio to pgbench | service creates/s | service / bare Kestrel + INSERT |");
            md.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in ceilings)
                md.AppendLine($"| {row.Result.Clients} | {F(row.Baseline!.PerSecond, "N0")} | {BaselineCell(row.Ceiling)} | {F(row.Ceiling!.PerSecond / row.Baseline.PerSecond, "0.00")}× | {F(row.Result.RequestsPerSecond, "N0")} | {F(row.Result.RequestsPerSecond / row.Ceiling.PerSecond, "0.00")}× |");
        }

        md.AppendLine();
        md.AppendLine("Where the time goes (same run): the time inside the service is its own request log line (`… answered 201 in X ms`, from the first middleware to the end of the handler); the rest of the client's latency is the socket, Kestrel's parsing and queueing for a thread. CPU is the service process's, per measured request, and as a share of the machine's cores.");
        md.AppendLine();
        md.AppendLine("| mode | operation | clients | sources in the account before | client p50 ms | in-service p50 ms | in-service p99 ms | service CPU ms/request | service CPU, share of all cores |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            var share = row.CpuMsPerRequest * row.Result.RequestsPerSecond / 1000 / Environment.ProcessorCount;
            md.AppendLine($"| {row.Mode} | {row.Operation} | {row.Result.Clients} | {F(row.SourcesBefore, "N0")} | {F(row.Result.P50, "0.00")} | {Logged(LoadResult.Percentile(row.HandlerMs, 0.5))} | {Logged(LoadResult.Percentile(row.HandlerMs, 0.99))} | {F(row.CpuMsPerRequest, "0.00")} | {F(share * 100, "0")} % |");
        }

        foreach (var row in rows.Where(r => r.Database is not null))
        {
            var db = row.Database!;
            md.AppendLine();
            md.AppendLine($"PostgreSQL during the create run at {row.Result.Clients} clients ({db.Creates:N0} creates, warm-up included; pg_stat_database and pg_stat_user_tables read after PostgreSQL's 10 s stats flush): **{F(db.Commits, "0.0")} commits per create**, against 1 per pgbench transaction. Rows written per create:");
            md.AppendLine();
            foreach (var (table, perCreate) in db.RowWrites)
                md.AppendLine($"- {table}: {F(perCreate, "0.00")}");
            md.AppendLine();
            md.AppendLine("The service's connections, sampled every 20 ms while its last round was measured (average number in each state):");
            md.AppendLine();
            foreach (var (state, connections) in db.Activity)
                md.AppendLine($"- {state}: {F(connections, "0.00")}");
        }
        return md.ToString();
    }

    private static string Verdict(Row row) => row.Ratio is not { } ratio
        ? "no baseline"
        : $"{F(row.Result.RequestsPerSecond, "N0")} / {F(row.Baseline!.PerSecond, "N0")} = **{F(ratio, "0.00")}×**, {(ratio >= Target ? "met" : "MISSED")}";

    private static string BaselineCell(Baseline? baseline) => baseline switch
    {
        null => "—",
        { P50: { } p50, P99: { } p99 } => $"{F(baseline.PerSecond, "N0")} ({F(p50, "0.00")} / {F(p99, "0.00")})",
        _ => F(baseline.PerSecond, "N0"),
    };

    /// <summary>The service logs milliseconds with one decimal, so a zero there means under 0.05 ms.</summary>
    private static string Logged(double ms) => ms == 0 ? "< 0.05" : F(ms, "0.0");

    private static string Trim(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string OneLine(string text) => Whitespace().Replace(text, " ").Replace("|", "\\|", StringComparison.Ordinal).Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
