using Microsoft.Extensions.Logging;
using Sources.Api.Extensions;
using Sources.TestServers;

namespace Sources.Api.Tests.Logging;

/// <summary>The batched request log: every line written, in order, in the console's single-line form, and nothing of other categories.</summary>
[Trait("Speed", "fast")]
public sealed class AccessLogTests
{
    [Fact]
    public void Lines_gathered_before_the_host_stops_are_all_written_in_order_and_other_categories_are_left_to_the_console()
    {
        var output = new StringWriter();
        var log = new AccessLog(output);
        var requests = log.CreateLogger(AccessLog.Category);
        for (var i = 0; i < 1000; i++)
            requests.LogInformation(new EventId(7), "GET /{N} answered 200", i);
        log.CreateLogger("Orleans.Runtime.Silo").LogWarning("not a request line");
        log.Dispose();

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"info: Sources.Api.Extensions.RequestLogging[7] GET /{i} answered 200"), lines);
    }

    [Fact]
    public async Task Lines_are_written_without_waiting_for_the_host_to_stop()
    {
        var output = new StringWriter();
        using var log = new AccessLog(output);
        log.CreateLogger(AccessLog.Category).LogWarning("GET / answered 503");

        var written = await Poll.Until(() => Written(output), TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(30), "a whole line written");
        Assert.Equal($"warn: Sources.Api.Extensions.RequestLogging[0] GET / answered 503{Environment.NewLine}", written);
    }

    [Fact]
    public async Task A_blocked_output_holds_one_write_and_a_bounded_queue_and_reports_what_it_dropped()
    {
        var output = new BlockingWriter();
        var log = new AccessLog(output);
        var requests = log.CreateLogger(AccessLog.Category);
        requests.LogInformation("GET /first answered 200");
        await output.Entered.WaitAsync(TimeSpan.FromSeconds(30));

        for (var i = 0; i < AccessLog.MaxWaiting + 10; i++)
            requests.LogInformation("GET /{N} answered 200", i);
        output.Open.Set();

        var lines = await output.LinesOnceContains("request lines were dropped");
        Assert.Equal(1, output.MostAtOnce);
        Assert.Equal(1 + AccessLog.MaxWaiting, lines.Count(l => l.Contains("answered 200", StringComparison.Ordinal)));
        Assert.Contains("warn: Sources.Api.Extensions.RequestLogging[0] 10 request lines were dropped while the output was blocked", lines);
        log.Dispose();
    }

    /// <summary>Output that blocks every write until opened, as a full pipe would.</summary>
    private sealed class BlockingWriter : TextWriter
    {
        private readonly StringWriter _text = new();
        private int _inside;

        public SemaphoreSlim Entered { get; } = new(0);
        public ManualResetEventSlim Open { get; } = new();
        public int MostAtOnce { get; private set; }
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(string? value)
        {
            lock (this) MostAtOnce = Math.Max(MostAtOnce, ++_inside);
            Entered.Release();
            Open.Wait();
            lock (this)
            {
                _text.Write(value);
                _inside--;
            }
        }

        public Task<string[]> LinesOnceContains(string text) => Poll.Until(() =>
        {
            lock (this)
            {
                var written = _text.ToString();
                return written.Contains(text, StringComparison.Ordinal) ? written.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries) : null;
            }
        }, TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(30), $"a line containing '{text}'");
    }

    /// <summary>What was written once a whole line is there (the log writes each batch in one call, from its own thread).</summary>
    private static string? Written(StringWriter output) =>
        output.ToString() is var text && text.EndsWith(Environment.NewLine, StringComparison.Ordinal) ? text : null;
}
