using System.Collections.Generic;
using YamlDotNet.RepresentationModel;

namespace Sources.Generators.Parsing;

/// <summary>Small lookups over YamlDotNet's node tree, kept apart from the spec's meaning.</summary>
internal static class YamlNodes
{
    public static YamlNode? Get(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Scalar(this YamlMappingNode map, string key) =>
        map.Get(key) is YamlScalarNode scalar ? scalar.Value : null;

    public static IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(this YamlMappingNode map)
    {
        foreach (var pair in map.Children)
            if (pair.Key is YamlScalarNode key && key.Value is not null)
                yield return (key.Value, pair.Key, pair.Value);
    }

    public static int Line(this YamlNode node) => (int)node.Start.Line;
    public static int Column(this YamlNode node) => (int)node.Start.Column;
}
