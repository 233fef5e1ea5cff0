using System.Diagnostics;
using System.Globalization;
using Sources.Bench;
using Sources.TestServers;

namespace Sources.Load;

/// <summary>
/// <c>dotnet run -c Release --project bench/Sources.Load [-- --seconds 5 --warmup 1.5 --max-requests 200000 --no-write --output FILE]</c>:
/// the service in embedded mode, then in postgres mode on a throw-away PostgreSQL, under create and
/// get load beside its baselines; prints the tables and writes them into BENCHMARKS.md.
/// </summary>
public static class Program
{
    public const string Command = "dotnet run -c Release --project bench/Sources.Load";

    public static async Task<int> Main(string[] args)
    {
        if (!Harness.IsRelease(typeof(Program).Assembly, Command)) return 2;
        if (args.FirstOrDefault() == "invented-keys")
            return await InventedKeys.RunAsync(args);
        if (args.FirstOrDefault() == "idle-sources")
            return await IdleSources.RunAsync(args);
        if (args.FirstOrDefault() == "listing-scale" && args.Contains("--embedded"))
            return await ListingScaleEmbedded.RunAsync(args);
        if (args.FirstOrDefault() == "listing-scale")
            return await ListingScale.RunAsync(args);
        if (args.FirstOrDefault() == "listing-render")
            return ListingRender.Run(args);
        if (args.FirstOrDefault() == "telemetry")
            return await TelemetryCost.RunAsync(args);

        var limits = new LoadLimits(
            Warmup: TimeSpan.FromSeconds(Option(args, "--warmup", 1.5)),
            Duration: TimeSpan.FromSeconds(Option(args, "--seconds", 5)),
            MaxRequests: (int)Option(args, "--max-requests", 200_000));
        var started = DateTime.UtcNow;
        var clock = Stopwatch.StartNew();
        var rows = new List<Row>();
        await using var kestrel = await KestrelBaseline.StartAsync();

        Console.WriteLine("embedded mode (SQLite in a temp folder)");
        await using (var embedded = await ServiceUnderTest.EmbeddedAsync())
        {
            var run = new ModeRun("embedded", embedded, kestrel, limits);
            rows.AddRange(await run.CreatesAsync(pgbench: null, counters: null));
            rows.AddRange(await run.GetsAsync());
        }

        Console.WriteLine("postgres mode (a throw-away PostgreSQL on this machine)");
        await using (var postgres = await PostgresServer.StartAsync())
        {
            var database = await postgres.CreateDatabaseAsync("sources");
            var counters = new PostgresCounters(database);
            using var pgbench = await PgBench.PrepareAsync(postgres);
            kestrel.UseDatabase(pgbench.ConnectionString);
            await using var service = await ServiceUnderTest.PostgresAsync(database);
            var run = new ModeRun("postgres", service, kestrel, limits);
            rows.AddRange(await run.CreatesAsync(pgbench, counters));
            rows.AddRange(await run.GetsAsync());
        }

        var machine = Harness.Machine("service, PostgreSQL, load clients and the Kestrel baseline all on these cores");
        var markdown = Report.Markdown(rows, new RunInfo(Command, machine, Harness.SourceState(), limits, started, clock.Elapsed));
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (!args.Contains("--no-write"))
        {
            var at = Array.IndexOf(args, "--output");
            Report.Section.Write(at >= 0 && at + 1 < args.Length ? args[at + 1] : null, markdown);
        }
        return 0;
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
