using System.Collections.Generic;
using Sources.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Sources.Generators.Parsing;

/// <summary>What the schema parsers share: the named schemas, the diagnostics, and the
/// type-selected unions found inside properties (each becomes a small class of its own).</summary>
internal sealed class SchemaContext
{
    private readonly HashSet<string> _unionNames = new();

    public SchemaContext(YamlMappingNode schemas, SpecDiagnostics diagnostics, string @namespace)
    {
        Namespace = @namespace;
        Schemas = schemas;
        Diagnostics = diagnostics;
    }

    public string Namespace { get; }
    public YamlMappingNode Schemas { get; }

    /// <summary>Generated code names types in full: a property may share its type's name.</summary>
    public string Qualified(string typeName) => $"global::{Namespace}.{typeName}";
    public SpecDiagnostics Diagnostics { get; }
    public List<UnionSpec> Unions { get; } = new();

    public YamlMappingNode? Schema(string name) => Schemas.Get(name) as YamlMappingNode;

    /// <summary>A class name for a union, unique in the spec: the property's name, or the
    /// owner's and the property's when two properties share a name.</summary>
    public string UnionName(string owner, string property)
    {
        var name = property + "Value";
        if (!_unionNames.Add(name))
        {
            name = owner + property + "Value";
            _unionNames.Add(name);
        }
        return name;
    }

    public void Unsupported(YamlNode at, string message) => Diagnostics.Report("SRC003", at, message);
    public void Invalid(YamlNode at, string message) => Diagnostics.Report("SRC004", at, message);
}
