using Orleans.Concurrency;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// One grain per source, keyed by its public id, owning it for its whole life. Every method
/// names the calling account: another account's source answers as if it did not exist.
/// </summary>
[Alias("Sources.IConnectionGrain")]
public interface IConnectionGrain : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task<ChangeResult> Register(string account, SourceConfig config);

    [Alias("Get"), ReadOnly]
    Task<SourceRecord?> Get(string account);

    /// <summary>Replaces the configuration if the source is still at <paramref name="expectedVersion"/>.</summary>
    [Alias("Reconfigure")]
    Task<ChangeResult> Reconfigure(string account, int expectedVersion, SourceConfig config);

    [Alias("Delete")]
    Task<ChangeOutcome> Delete(string account);
}
