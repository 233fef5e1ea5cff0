using System.Collections.Generic;
using Sources.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Sources.Generators.Parsing;

/// <summary>Collects what is wrong with a spec, each at the line of the node that is wrong.</summary>
internal sealed class SpecDiagnostics
{
    private readonly string _path;
    private readonly List<DiagnosticInfo> _items = new();

    public SpecDiagnostics(string path) => _path = path;

    public IReadOnlyList<DiagnosticInfo> Items => _items;
    public bool Any => _items.Count > 0;

    public void Report(string id, YamlNode? at, string message) =>
        _items.Add(new DiagnosticInfo(id, _path, at?.Line() ?? 1, at?.Column() ?? 1, message));

    public void Report(string id, int line, int column, string message) =>
        _items.Add(new DiagnosticInfo(id, _path, line, column, message));
}
