using System.Globalization;

namespace Sources.ProbeLoad;

/// <summary>
/// The harness's flags. Every row is bounded by them; <c>--small</c> shrinks every size for a quick
/// check of the harness itself (its numbers are not the benchmark's).
/// </summary>
internal sealed record Options
{
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(10);
    public HashSet<int> Rows { get; init; } = [1, 2, 3, 4];

    /// <summary>Measured time of each side of a throughput row, split over the rounds.</summary>
    public TimeSpan RowSeconds { get; init; } = TimeSpan.FromSeconds(10);
    public int Rounds { get; init; } = 5;
    public int QuickSources { get; init; } = 2000;
    public int QuickConcurrency { get; init; } = 64;
    public int HealthySources { get; init; } = 64;
    public int HealthyConcurrency { get; init; } = 8;

    public int[] Backlogs { get; init; } = [1000, 10000];
    public int QuickTests { get; init; } = 200;
    public int HoleTests { get; init; } = 24;

    public int SweepSources { get; init; } = 10_000;
    public int SweepAccounts { get; init; } = 10;
    public TimeSpan? SweepIntervalSet { get; init; }
    public TimeSpan? SweepWindowSet { get; init; }

    /// <summary>The default interval (15 min) shortened in proportion: 100,000 sources on 15 min make as many probes a second.</summary>
    public TimeSpan SweepInterval => SweepIntervalSet ?? TimeSpan.FromMinutes(15) * (SweepSources / 100_000.0);
    public TimeSpan SweepWindow => SweepWindowSet ?? SweepInterval;

    public bool Write { get; init; } = true;
    public string? Output { get; init; }
    public bool Small { get; init; }

    public static Options Parse(string[] args)
    {
        var small = args.Contains("--small");
        var o = small
            ? new Options { Small = true, RowSeconds = TimeSpan.FromSeconds(3), Rounds = 3, QuickSources = 300, HealthySources = 16, Backlogs = [100, 500], QuickTests = 50, HoleTests = 8, SweepSources = 1000 }
            : new Options();
        string? Value(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        double? Number(string name) => Value(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;
        return o with
        {
            Deadline = Number("--deadline") is { } d ? TimeSpan.FromSeconds(d) : o.Deadline,
            Rows = Value("--rows") is { } rows ? [.. rows.Split(',').Select(int.Parse)] : o.Rows,
            RowSeconds = Number("--seconds") is { } s ? TimeSpan.FromSeconds(s) : o.RowSeconds,
            Rounds = (int?)Number("--rounds") ?? o.Rounds,
            QuickSources = (int?)Number("--quick-sources") ?? o.QuickSources,
            QuickConcurrency = (int?)Number("--quick-concurrency") ?? o.QuickConcurrency,
            HealthySources = (int?)Number("--healthy-sources") ?? o.HealthySources,
            HealthyConcurrency = (int?)Number("--healthy-concurrency") ?? o.HealthyConcurrency,
            Backlogs = Value("--backlogs") is { } b ? [.. b.Split(',').Select(int.Parse).Order()] : o.Backlogs,
            QuickTests = (int?)Number("--quick-tests") ?? o.QuickTests,
            HoleTests = (int?)Number("--hole-tests") ?? o.HoleTests,
            SweepSources = (int?)Number("--sweep-sources") ?? o.SweepSources,
            SweepAccounts = (int?)Number("--sweep-accounts") ?? o.SweepAccounts,
            SweepIntervalSet = Number("--sweep-interval") is { } i ? TimeSpan.FromSeconds(i) : null,
            SweepWindowSet = Number("--sweep-window") is { } w ? TimeSpan.FromSeconds(w) : null,
            Write = !args.Contains("--no-write"),
            Output = Value("--output"),
        };
    }

    /// <summary>The flags that differ from the defaults, to print beside the command.</summary>
    public static string Flags(string[] args) => args.Length == 0 ? "" : " -- " + string.Join(' ', args);
}
