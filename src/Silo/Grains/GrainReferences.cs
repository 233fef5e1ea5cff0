using System.Collections.Concurrent;

namespace Sources.Silo.Grains;

/// <summary>
/// Every grain reference the service makes comes from here, without the work <c>IGrainFactory.GetGrain&lt;T&gt;(key)</c>
/// redoes on every call: Orleans resolves the interface's <see cref="GrainInterfaceType"/> anew each
/// time (instantiating the interface's custom attributes, and, as ours carry no
/// <c>[GrainInterfaceType]</c>, formatting, parsing and checking its type name) before it looks up
/// the grain type. Here the first reference to each interface is made the ordinary way, and its
/// grain type and interface type serve every later one. Both depend only on the interface and the
/// grain classes, never on the key or the node, so these references equal Orleans' own everywhere.
/// </summary>
public sealed class GrainReferences(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<Type, (GrainType Grain, GrainInterfaceType Interface)> _types = new();

    public TGrain GetGrain<TGrain>(long key) where TGrain : IGrainWithIntegerKey =>
        Make<TGrain>(GrainIdKeyExtensions.CreateIntegerKey(key));

    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey
    {
        // As GetGrain refuses such a key.
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return Make<TGrain>(IdSpan.Create(key));
    }

    private TGrain Make<TGrain>(IdSpan key) where TGrain : IAddressable
    {
        if (_types.TryGetValue(typeof(TGrain), out var types))
            return (TGrain)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);

        // Not cached before it succeeds: a client that has not yet seen the cluster's manifest throws here.
        var first = (GrainReference)grains.GetGrain(typeof(TGrain), key);
        _types.TryAdd(typeof(TGrain), (first.GrainId.Type, first.InterfaceType));
        return (TGrain)(object)first;
    }
}
