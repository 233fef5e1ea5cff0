using Microsoft.Extensions.Logging;
using Sources.Api.Extensions;

namespace Sources.Api.Tests.Logging;

/// <summary>The batched request log: every line written, in order, in the console's single-line form, and nothing of other categories.</summary>
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

        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        while (!Written(output) && await tick.WaitForNextTickAsync(limit.Token)) { }
        Assert.Equal($"warn: Sources.Api.Extensions.RequestLogging[0] GET / answered 503{Environment.NewLine}", output.ToString());
    }

    /// <summary>A whole line is there (the log writes each batch in one call, from its own thread).</summary>
    private static bool Written(StringWriter output) => output.ToString().EndsWith(Environment.NewLine, StringComparison.Ordinal);
}
