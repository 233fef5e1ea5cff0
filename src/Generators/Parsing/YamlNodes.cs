using System.Collections.Generic;
using System.Linq;
using YamlDotNet.RepresentationModel;

namespace Sources.Generators.Parsing;

/// <summary>Small lookups over YamlDotNet's node tree, kept apart from the spec's meaning.</summary>
internal static class YamlNodes
{
    public static YamlNode? Get(this YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The node of the key itself (where a diagnostic about the entry belongs), or null.</summary>
    public static YamlNode? Key(this YamlMappingNode map, string key) =>
        map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode scalar && scalar.Value == key);

    public static string? Scalar(this YamlMappingNode map, string key) =>
        map.Get(key) is YamlScalarNode scalar ? scalar.Value : null;

    public static IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(this YamlMappingNode map)
    {
        foreach (var pair in map.Children)
            if (pair.Key is YamlScalarNode key && key.Value is not null)
                yield return (key.Value, pair.Key, pair.Value);
    }

    /// <summary>The item of a list that holds <paramref name="value"/>, so a diagnostic about it
    /// points at its own line (a block list puts each item on one); the list itself otherwise.</summary>
    public static YamlNode Item(this YamlNode list, string value) =>
        list is YamlSequenceNode sequence && sequence.Children.FirstOrDefault(c => c is YamlScalarNode s && s.Value == value) is { } item
            ? item
            : list;

    public static int Line(this YamlNode node) => (int)node.Start.Line;
    public static int Column(this YamlNode node) => (int)node.Start.Column;
}
