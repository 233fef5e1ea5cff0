using Sources.Silo.Hosting;

namespace Sources.Silo.Grains;

/// <summary>
/// Tries a grain call again when it met a lost node, for as long as
/// <see cref="ClusterFailoverSettings.LostNodeRetry"/>: until the cluster declares that node dead,
/// calls to its grains are refused at once, and after it they activate elsewhere. Only for calls
/// that are safe to repeat: a read, or a write whose repetition is recognised (a create under its
/// fresh id). A call that timed out is not repeated: it may still be running.
/// </summary>
public sealed class LostNodeRetry(ClusterFailoverSettings settings, TimeProvider time)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="call"/>, again after each lost-node failure while the budget lasts;
    /// the number the call is given counts the runs from 1, so the call can tell a repetition.</summary>
    public async Task<T> Run<T>(Func<int, Task<T>> call)
    {
        var started = time.GetTimestamp();
        var pause = FirstPause;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(attempt);
            }
            catch (Exception ex) when (MetLostNode(ex) && time.GetElapsedTime(started) + pause <= settings.LostNodeRetry)
            {
                // A pause between attempts, not a wait for an event: each attempt asks the cluster afresh.
                await Task.Delay(pause, time);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            }
        }
    }

    public Task<T> Run<T>(Func<Task<T>> call) => Run(_ => call());

    /// <summary>Whether the call failed because the node holding its grain is gone (or the way to it was):
    /// refused on its way, or broken when that node was declared dead.</summary>
    public static bool MetLostNode(Exception ex) => ex switch
    {
        SiloUnavailableException or OrleansMessageRejectionException => true,
        _ when ex.InnerException is { } inner => MetLostNode(inner),
        _ => false,
    };
}
