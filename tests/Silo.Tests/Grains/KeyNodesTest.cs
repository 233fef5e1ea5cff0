using Sources.Silo.Grains;
using Sources.Silo.Grains.Keys;
using Sources.Silo.Tests.Storage;

namespace Sources.Silo.Tests.Grains;

/// <summary>
/// A silo on a fresh embedded database for each test, and <see cref="Node"/>: an <see cref="ApiKeys"/>
/// over its key grains as one API node holds it. Two of them are two nodes: each keeps its own
/// memory, both reach the same key grains.
/// </summary>
public abstract class KeyNodesTest : IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.Embedded();
    private SiloHost? _silo;

    private protected SiloHost Silo => _silo!;

    /// <summary>The clock of the silo's grains; a test that drives a lease gives a fake one, and its nodes the same.</summary>
    protected virtual TimeProvider SiloTime => TimeProvider.System;

    public async Task InitializeAsync() => _silo = await SiloHost.StartStorage(_database.Options, SiloTime);

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected ApiKeys Node(TimeProvider? time = null, KeyCacheSettings? cache = null) =>
        new(new GrainReferences(Silo.Grains), time ?? TimeProvider.System, cache);
}
