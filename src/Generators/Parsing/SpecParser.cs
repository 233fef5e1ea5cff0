using System.Collections.Generic;
using System.IO;
using Sources.Generators.Helpers;
using Sources.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sources.Generators.Parsing;

/// <summary>
/// Turns one spec file into the model: loads the YAML, checks every <c>$ref</c>, then hands
/// each schema under <c>components/schemas</c> to the parser for its concept.
/// </summary>
public static class SpecParser
{
    private const string SchemaPrefix = "#/components/schemas/";

    public static SpecModel Parse(string path, string text, string @namespace)
    {
        var diagnostics = new SpecDiagnostics(path);
        var fileName = Path.GetFileName(path);
        var root = Load(text, diagnostics);
        if (root is null)
            return Empty(@namespace, fileName, diagnostics);

        ReferenceChecker.Check(root, diagnostics);
        if (root.Get("components") is not YamlMappingNode components || components.Get("schemas") is not YamlMappingNode schemas)
        {
            diagnostics.Report("SRC005", root.Key("components") ?? root, "The spec has no components/schemas: there is nothing to generate.");
            return Empty(@namespace, fileName, diagnostics);
        }

        var context = new SchemaContext(schemas, diagnostics, @namespace);
        var unionParser = new DiscriminatorParser(context);
        var unions = new List<DiscriminatedUnionSpec>();
        foreach (var (name, keyNode, node) in schemas.Entries())
        {
            if (node is YamlMappingNode map && map.Get("discriminator") is not null)
            {
                if (unionParser.Parse(name, map) is { } union) unions.Add(union);
            }
            else if (node is not YamlMappingNode objectMap || !ObjectParser.IsObject(objectMap))
            {
                diagnostics.Report("SRC003", keyNode,
                    $"Schema '{name}' is neither an object nor a oneOf with a discriminator; only those become types.");
            }
        }

        var objectParser = new ObjectParser(context, unions);
        var objects = new List<ObjectSpec>();
        foreach (var (name, _, node) in schemas.Entries())
            if (node is YamlMappingNode map && map.Get("discriminator") is null && ObjectParser.IsObject(map))
                objects.Add(objectParser.Parse(name, map));

        return new SpecModel(
            @namespace,
            fileName,
            objects.ToEquatable(),
            context.Unions.ToEquatable(),
            unions.ToEquatable(),
            diagnostics.Items.ToEquatable());
    }

    /// <summary>The schema name a local <c>$ref</c> names, or null for any other reference.</summary>
    internal static string? SchemaName(string reference) =>
        reference.StartsWith(SchemaPrefix, System.StringComparison.Ordinal) ? reference.Substring(SchemaPrefix.Length) : null;

    internal static YamlMappingNode? Load(string text, SpecDiagnostics diagnostics)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 1 && stream.Documents[0].RootNode is YamlMappingNode root)
                return root;
            diagnostics.Report("SRC001", 1, 1, "expected exactly one YAML document whose top level is a mapping.");
        }
        catch (YamlException ex)
        {
            diagnostics.Report("SRC001", (int)ex.Start.Line, (int)ex.Start.Column, ex.Message);
        }
        return null;
    }

    private static SpecModel Empty(string @namespace, string fileName, SpecDiagnostics diagnostics) => new(
        @namespace, fileName,
        ImmutableEquatableArray<ObjectSpec>.Empty,
        ImmutableEquatableArray<UnionSpec>.Empty,
        ImmutableEquatableArray<DiscriminatedUnionSpec>.Empty,
        diagnostics.Items.ToEquatable());
}
