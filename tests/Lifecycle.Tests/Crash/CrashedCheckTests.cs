using System.Text.Json.Nodes;
using Sources.Silo.Grains.Sources;
using Sources.TestServers;

namespace Sources.Lifecycle.Tests.Crash;

/// <summary>
/// A check that takes its node down is not run again by itself: the node that starts on the same
/// data finds the check's mark, shows the source failing with the reason and leaves it out of the
/// sweep (while other sources keep being checked) until its owner changes it.
/// </summary>
public sealed class CrashedCheckTests
{
    private const long Witness = 5001;
    private const long Crashing = 5002;

    [Fact]
    public async Task A_source_whose_check_stopped_the_node_is_held_back_after_the_restart_until_it_changes()
    {
        var data = Directory.CreateTempSubdirectory("sources-crashed-check-").FullName;
        try
        {
            await using (var first = await CrashHostProcess.Start(data))
            {
                await first.Send($"register {Witness} calm");
                await Source(first, Witness, s => s["status"]?.GetValue<string>() == SourceStatus.Healthy, "the witness checked");
                await first.Send($"register {Crashing} crash");
                await first.WaitForExit();
                Assert.Contains($"probed {Crashing}", first.Lines);
                Assert.NotEqual(0, first.ExitCode);
            }

            await using var second = await CrashHostProcess.Start(data);
            var held = await Source(second, Crashing, s => s["message"]?.GetValue<string>() == HeldBackCheck.Message, "the crashed source held back");
            Assert.Equal(SourceStatus.Failing, held["status"]!.GetValue<string>());
            Assert.Equal("error", held["outcome"]!.GetValue<string>());
            Assert.Null(held["next_check_at"]);

            // The sweep keeps checking the witness meanwhile; the held-back source is not among its checks.
            await Poll.Until(() => second.Lines.Count(l => l == $"probed {Witness}") >= 2 ? "checked twice" : null,
                TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60), "two sweep checks of the witness");
            Assert.DoesNotContain($"probed {Crashing}", second.Lines);
            Assert.False(second.Exited);

            // A change by its owner lifts it: the new settings are checked at once, and then by the sweep.
            await second.Send($"reconfigure {Crashing} calm");
            await second.Line(l => l == $"reconfigured {Crashing} Done", "the change");
            var healthy = await Source(second, Crashing, s => s["status"]?.GetValue<string>() == SourceStatus.Healthy, "the changed source checked");
            Assert.NotNull(healthy["next_check_at"]);
            Assert.Contains($"probed {Crashing}", second.Lines);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_held_back_source_may_still_be_tested_or_changed_and_each_run_that_stops_the_node_holds_it_back_again()
    {
        var data = Directory.CreateTempSubdirectory("sources-crashed-test-").FullName;
        try
        {
            await using (var first = await CrashHostProcess.Start(data))
            {
                await first.Send($"register {Crashing} crash");
                await first.WaitForExit();
            }
            JsonObject held;
            await using (var second = await CrashHostProcess.Start(data))
            {
                held = await Source(second, Crashing, s => s["message"]?.GetValue<string>() == HeldBackCheck.Message, "the crashed source held back");
                // The owner's test is a deliberate act: it runs, and stops the node again.
                await second.Send($"test {Crashing}");
                await second.WaitForExit();
                Assert.Contains($"probed {Crashing}", second.Lines);
            }
            await using (var third = await CrashHostProcess.Start(data))
            {
                await Source(third, Crashing, s => s["message"]?.GetValue<string>() == HeldBackCheck.Message, "still held back");
                Assert.DoesNotContain($"probed {Crashing}", third.Lines);
                // A change lifts the hold; its first check marks its work like any other, and stops the node again.
                await third.Send($"reconfigure {Crashing} crash");
                await third.WaitForExit();
                Assert.Contains($"probed {Crashing}", third.Lines);
            }

            await using var fourth = await CrashHostProcess.Start(data);
            var again = await Source(fourth, Crashing, s => s["message"]?.GetValue<string>() == HeldBackCheck.Message, "held back again");
            Assert.True(again["checked_at"]!.GetValue<DateTimeOffset>() > held["checked_at"]!.GetValue<DateTimeOffset>(), "held back anew after the change");
            Assert.Equal(SourceStatus.Failing, again["status"]!.GetValue<string>());
            Assert.DoesNotContain($"probed {Crashing}", fourth.Lines);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static Task<JsonObject> Source(CrashHostProcess host, long id, Func<JsonObject, bool> condition, string what) =>
        Poll.Until(async () =>
        {
            var asked = host.Lines.Length;
            await host.Send($"get {id}");
            var line = await host.Line(l => l.StartsWith($"source {id} ", StringComparison.Ordinal), "an answer to get", after: asked);
            var source = JsonNode.Parse(line[$"source {id} ".Length..])!.AsObject();
            return condition(source) ? source : null;
        }, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60), what);
}
