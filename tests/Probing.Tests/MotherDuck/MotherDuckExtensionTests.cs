using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.DuckDb;
using Sources.Silo.Probing.MotherDuck;

namespace Sources.Probing.Tests.MotherDuck;

/// <summary>
/// This machine cannot reach DuckDB's extension repository, so INSTALL motherduck really fails
/// here: the node tries once, outside the probes, every probe answers unsupported, and the next
/// attempt waits for the back-off.
/// </summary>
public sealed class MotherDuckExtensionTests
{
    private static readonly string Token = Jwts.Unsigned(DateTimeOffset.UtcNow.AddDays(30));

    private static JsonObject Settings() => new() { ["type"] = "MOTHERDUCK", ["database_name"] = "my_db", ["token"] = Token };

    [Fact]
    public async Task Fifty_probes_at_once_all_answer_unsupported_from_one_install_attempt()
    {
        var extension = new MotherDuckExtension(new MotherDuckSettings(), TimeProvider.System);
        var prober = new MotherDuckProber(extension, new DuckDbLimits());
        var probing = Probes.Settings(deadlineSeconds: 10);
        var runner = Probes.Runner(prober, probing);
        var started = Stopwatch.StartNew();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ =>
            runner.Run("MOTHERDUCK", Settings(), Probes.Context, [Token], CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(ProbeOutcome.Unsupported, r.Outcome));
        Assert.All(results, r => Assert.Contains("MotherDuck extension", r.Message));
        Assert.Equal(1, extension.Attempts);
        Assert.True(started.Elapsed < probing.Deadline, $"took {started.Elapsed}: one attempt, not fifty");
    }

    [Fact]
    public async Task After_a_failed_install_the_next_attempt_waits_for_the_back_off()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var extension = new MotherDuckExtension(new MotherDuckSettings { ExtensionRetry = TimeSpan.FromMinutes(10) }, time);

        Assert.False(await extension.Ready(CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(await extension.Ready(CancellationToken.None));
        Assert.Equal(1, extension.Attempts);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await extension.Ready(CancellationToken.None));
        Assert.Equal(2, extension.Attempts);
    }
}
