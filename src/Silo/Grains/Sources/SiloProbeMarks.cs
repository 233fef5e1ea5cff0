using Sources.Silo.Scheduling;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Grains.Sources;

/// <summary>This silo's heavy-work marks, in the marks table, under its address (generation included, so each run is a node of its own).</summary>
internal sealed class SiloProbeMarks(ProbeMarkStore store, ILocalSiloDetails silo) : IProbeMarks
{
    public string Node { get; } = silo.SiloAddress.ToParsableString();

    public Task Mark(ProbeMark mark) => store.Mark(mark);

    public Task Remove(long sourceId, long probe) => store.Remove(sourceId, probe);
}
