using Sources.Silo.Probing;
using Sources.Silo.Scheduling;

namespace Sources.Lifecycle.Tests.Scheduling;

/// <summary>What a source sends back is kept only up to the bounds, whatever the prober let through.</summary>
public sealed class ResultBoundsTests
{
    [Fact]
    public void A_discovery_over_its_bound_is_dropped_whole_with_a_warning()
    {
        var huge = "{\"tables\":[" + string.Join(",", Enumerable.Repeat("\"" + new string('t', 60) + "\"", ResultBounds.MaxDiscoveryChars / 60)) + "]}";
        var bounded = ResultBounds.Apply(ProbeResult.Succeeded("16.1", huge, []));

        Assert.Null(bounded.DiscoveryJson);
        Assert.Contains(bounded.Warnings, w => w.Contains("too large to keep"));
        Assert.Equal(ProbeOutcome.Ok, bounded.Outcome);
    }

    [Fact]
    public void Messages_versions_and_warnings_are_cut_to_their_bounds()
    {
        var bounded = ResultBounds.Apply(ProbeResult.Succeeded(new string('v', 10_000), "{}",
            Enumerable.Repeat(new string('w', 5_000), 1_000).ToArray(), message: new string('m', 100_000)));

        Assert.Equal(ResultBounds.MaxMessageChars, bounded.Message.Length);
        Assert.Equal(ResultBounds.MaxVersionChars, bounded.ServerVersion!.Length);
        Assert.Equal(ResultBounds.MaxWarnings, bounded.Warnings.Length);
        Assert.All(bounded.Warnings, w => Assert.Equal(ResultBounds.MaxWarningChars, w.Length));
    }

    [Fact]
    public void A_result_within_its_bounds_is_kept_as_it_is()
    {
        var result = ProbeResult.Succeeded("16.1", "{\"tables\":[]}", ["a warning"]);
        Assert.Same(result, ResultBounds.Apply(result));
    }
}
