namespace Sources.Api.Cli;

/// <summary>
/// The keys command's client gives up on a cluster that keeps refusing it (no node up, or a
/// certificate the nodes do not accept) after <see cref="Limit"/>, instead of retrying for ever
/// as a long-running API node does while it waits for its silos.
/// </summary>
internal sealed class ClusterConnectLimit(TimeProvider time) : IClientConnectionRetryFilter
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private readonly long _started = time.GetTimestamp();

    public Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken) =>
        Task.FromResult(time.GetElapsedTime(_started) < Limit);
}
