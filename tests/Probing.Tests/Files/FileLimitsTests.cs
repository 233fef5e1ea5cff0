using System.Diagnostics;
using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Files;
using Sources.TestServers;

namespace Sources.Probing.Tests.Files;

/// <summary>
/// A FILE probe ends on time whatever the server does: a server that sends its headers and then
/// nothing fails at the idle timeout, one that trickles fails at the minimum rate, the probe's
/// deadline never passes its cap, and a probe cancelled while importing stops.
/// </summary>
public sealed class FileLimitsTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sources-file-limits-" + Guid.NewGuid().ToString("N"));
    private FileHost _host = null!;

    public async Task InitializeAsync() => _host = await FileHost.Start();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static JsonObject Settings(params (string Url, string Filename)[] items) => new()
    {
        ["type"] = "FILE",
        ["file_urls"] = new JsonArray(items.Select(i => (JsonNode)new JsonObject { ["url"] = i.Url, ["filename"] = i.Filename }).ToArray()),
    };

    private static FileProber Prober(FileSettings files, ProbeSettings probing) => new(new FileDownloader(Probes.Loopback, files, probing), files);

    /// <summary>Runs one probe through the runner with a 20 s deadline, far past the limit under test.</summary>
    private static async Task<(ProbeResult Result, TimeSpan Took)> Run(FileSettings files, JsonObject settings)
    {
        var probing = Probes.Settings(deadlineSeconds: 20);
        var prober = Prober(files, probing);
        var started = Stopwatch.StartNew();
        var result = await Probes.Runner(prober, probing).Run("FILE", settings, Probes.Context with { Budget = prober.DeadlineFor(settings, probing.Deadline) }, [], CancellationToken.None);
        return (result, started.Elapsed);
    }

    [Fact]
    public async Task A_server_that_sends_headers_and_then_nothing_fails_at_the_idle_timeout()
    {
        var files = new FileSettings { Directory = _root, IdleTimeout = TimeSpan.FromSeconds(1) };

        var (result, took) = await Run(files, Settings(($"{_host.BaseUrl}/headers-only?token=s3cret", "silent.csv")));

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        Assert.Contains("'silent.csv'", result.Message);
        Assert.Contains("Nothing arrived for 1 s", result.Message);
        Assert.DoesNotContain("s3cret", result.Message);
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}: the idle timeout is 1 s, the probe's deadline 20 s");
    }

    [Fact]
    public async Task A_server_that_trickles_below_the_minimum_rate_fails_at_the_rate_window()
    {
        var files = new FileSettings { Directory = _root, MinBytesPerSecond = 1024, RateWindow = TimeSpan.FromSeconds(1), IdleTimeout = TimeSpan.FromSeconds(10) };

        var (result, took) = await Run(files, Settings(($"{_host.BaseUrl}/trickle?sig=abc", "trickle.csv")));

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
        Assert.Contains("'trickle.csv'", result.Message);
        Assert.Contains("slower than 1 KiB/s", result.Message);
        Assert.DoesNotContain("sig=", result.Message);
        Assert.True(took < TimeSpan.FromSeconds(10), $"took {took}: the rate window is 1 s, the probe's deadline 20 s");
    }

    [Fact]
    public void The_deadline_of_a_hundred_large_files_stays_under_the_cap()
    {
        var files = new FileSettings { Directory = _root };
        var hundred = Settings(Enumerable.Range(0, 100).Select(i => ($"https://files.example.com/{i}.csv", $"{i}.csv")).ToArray());

        var deadline = Prober(files, Probes.Settings()).DeadlineFor(hundred, TimeSpan.FromSeconds(10));

        Assert.Equal(files.MaxProbeDuration, deadline);
        Assert.Equal(TimeSpan.FromMinutes(5), files.MaxProbeDuration);
        Assert.True(files.DeadlineFor(files.MaxFileBytes, TimeSpan.FromSeconds(10)) <= files.MaxProbeDuration);
    }

    [Fact]
    public void A_small_source_keeps_its_proportional_deadline()
    {
        var files = new FileSettings { Directory = _root, MaxFileBytes = 1 << 20, MinBytesPerSecond = 1 << 20 };

        var deadline = Prober(files, Probes.Settings()).DeadlineFor(Settings(("https://files.example.com/a.csv", "a.csv")), TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(21), deadline);
    }

    [Fact]
    public async Task A_probe_cancelled_while_importing_stops_and_leaves_the_previous_database()
    {
        var files = new FileSettings { Directory = _root };
        var prober = Prober(files, Probes.Settings());
        var folder = prober.SourceFolder(5);
        using var cancel = new CancellationTokenSource();
        // Progress says the download is done; the import starts right after it.
        var downloaded = new TaskCompletionSource();
        var context = new ProbeContext(5, new Inline(p => { if (p.FilesDone == 1) downloaded.TrySetResult(); })) { Budget = TimeSpan.FromMinutes(5) };
        // 300 MB of CSV: many seconds of DuckDB work on one thread.
        var probe = prober.Probe(Settings(($"{_host.BaseUrl}/generated/300", "big.csv")), context, cancel.Token);
        await downloaded.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await Poll.Until(() => Directory.EnumerateFiles(folder, FileProber.DatabaseFile, SearchOption.AllDirectories).FirstOrDefault(), TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30), "the import to open its database");

        var stopped = Stopwatch.StartNew();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(5), $"took {stopped.Elapsed} to stop");
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        Assert.Equal(0, prober.Gates.Count);
    }

    [Fact]
    public async Task Gates_are_let_go_once_no_probe_holds_them()
    {
        var files = new FileSettings { Directory = _root };
        var prober = Prober(files, Probes.Settings());
        var good = Settings((_host.Put("orders.csv", SampleFiles.Csv), "orders.csv"));
        var missing = Settings(($"{_host.BaseUrl}/files/nothing.csv", "nothing.csv"));

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => prober.Probe(i % 2 == 0 ? good : missing, new ProbeContext(100 + i % 5), CancellationToken.None)));

        Assert.Equal(0, prober.Gates.Count);
    }

    [Fact]
    public async Task A_leftover_import_folder_of_a_stopped_process_is_removed()
    {
        var files = new FileSettings { Directory = _root };
        var prober = Prober(files, Probes.Settings());
        var leftover = Directory.CreateDirectory(Path.Combine(prober.SourceFolder(9), "import-0123456789abcdef"));
        File.WriteAllText(Path.Combine(leftover.FullName, "0.download"), "id\n1\n");

        var result = await prober.Probe(Settings((_host.Put("orders.csv", SampleFiles.Csv), "orders.csv")), new ProbeContext(9), CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.False(leftover.Exists && Directory.Exists(leftover.FullName));
        Assert.Equal([FileProber.DatabaseFile], Directory.GetFileSystemEntries(prober.SourceFolder(9)).Select(Path.GetFileName));
    }

    /// <summary>Progress told on the probe's own thread, as it is made.</summary>
    private sealed class Inline(Action<ProbeProgress> report) : IProgress<ProbeProgress>
    {
        public void Report(ProbeProgress value) => report(value);
    }
}
