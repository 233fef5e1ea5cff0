using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
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
        var configuration = typeof(Program).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        if (configuration != "Release")
        {
            Console.Error.WriteLine($"This is a {configuration} build; numbers from it mean nothing. Run: {Command}");
            return 2;
        }
        if (args.FirstOrDefault() == "invented-keys")
            return await InventedKeys.RunAsync(args);

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

        var markdown = Report.Markdown(rows, new RunInfo(Command, Machine(), SourceState(), limits, started, clock.Elapsed));
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (!args.Contains("--no-write"))
        {
            var at = Array.IndexOf(args, "--output");
            var file = at >= 0 && at + 1 < args.Length ? Path.GetFullPath(args[at + 1]) : Path.Combine(RepositoryRoot(), "BENCHMARKS.md");
            Report.WriteSection(file, markdown);
            Console.WriteLine($"Written to {file}, section \"{Report.Heading[3..]}\".");
        }
        return 0;
    }

    private static double Option(string[] args, string name, double fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{Environment.ProcessorCount} cores{(cpu is null ? "" : $" ({cpu})")}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; "
            + "service, PostgreSQL, load clients and the Kestrel baseline all on these cores";
    }

    /// <summary>Which code was measured: the commit, and whether the service's sources differed from it.</summary>
    private static string SourceState()
    {
        static string Git(params string[] arguments)
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = RepositoryRoot(), RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var git = Process.Start(start)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : throw new InvalidOperationException(git.StandardError.ReadToEnd());
        }

        try
        {
            var dirty = Git("status", "--porcelain", "--", "src").Length > 0;
            return $"commit {Git("rev-parse", "--short", "HEAD")}{(dirty ? ", with uncommitted changes under src/" : "")}";
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "an unknown commit";
        }
    }

    /// <summary>The folder holding Sources.sln, above the harness's build output.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sources.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Sources.sln was not found above the harness; pass --no-write or run it from the repository.");
    }
}
