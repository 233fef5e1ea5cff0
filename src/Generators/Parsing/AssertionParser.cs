using System.Collections.Generic;
using System.Linq;
using Sources.Generators.Helpers;
using Sources.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Sources.Generators.Parsing;

/// <summary>
/// Parses rules across the fields of one object (<c>anyOf</c>, <c>oneOf</c>, <c>allOf</c>,
/// <c>not</c>, and <c>required</c> inside them, written on the object or in its
/// <c>x-presence-rules</c>) into one tree the emitter turns into checks.
/// </summary>
internal sealed class AssertionParser
{
    private static readonly string[] Composites = { "anyOf", "oneOf", "allOf", "not" };
    private readonly SchemaContext _context;

    public AssertionParser(SchemaContext context) => _context = context;

    /// <summary>
    /// The object's own composite keywords and those of its <c>x-presence-rules</c> as one rule,
    /// or null when it has none. Both forms mean the same and must all hold.
    /// </summary>
    public AssertionSpec? ParseObjectRules(string owner, YamlMappingNode map, ISet<string> properties)
    {
        var parts = CompositesOf(owner, map, properties);
        if (map.Get(Keywords.PresenceRules) is { } extension)
            parts.AddRange(PresenceRules(owner, extension, properties));
        return parts.Count switch
        {
            0 => null,
            1 => parts[0],
            _ => new AssertionSpec(AssertionKind.AllOf, ImmutableEquatableArray<string>.Empty, parts.ToEquatable(), null),
        };
    }

    private List<AssertionSpec> CompositesOf(string owner, YamlMappingNode map, ISet<string> properties) =>
        Composites
            .Where(k => map.Get(k) is not null)
            .Select(k => Keyword(owner, k, map.Get(k)!, properties))
            .Where(a => a is not null)
            .Select(a => a!)
            .ToList();

    /// <summary>
    /// <c>x-presence-rules</c>: a mapping of <c>anyOf</c>, <c>oneOf</c>, <c>allOf</c> and <c>not</c>
    /// read as if written on the object itself. A <c>required</c> at its top would only repeat the
    /// object's own, and anything else is a rule the reader could not check: both are refused.
    /// </summary>
    private List<AssertionSpec> PresenceRules(string owner, YamlNode node, ISet<string> properties)
    {
        if (node is not YamlMappingNode map)
        {
            _context.Invalid(node, $"{Keywords.PresenceRules} of '{owner}' must be a mapping of anyOf, oneOf, allOf and not.");
            return new List<AssertionSpec>();
        }
        var refused = false;
        foreach (var (key, keyNode, _) in map.Entries())
        {
            if (Composites.Contains(key) || Keywords.Annotations.Contains(key)) continue;
            _context.Unsupported(keyNode, $"'{key}' is not supported in {Keywords.PresenceRules} of '{owner}'; use anyOf, oneOf, allOf and not (required belongs on the object).");
            refused = true;
        }
        var parts = CompositesOf(owner, map, properties);
        if (parts.Count == 0 && !refused)
            _context.Invalid(map, $"{Keywords.PresenceRules} of '{owner}' asserts nothing.");
        return parts;
    }

    private AssertionSpec? Subschema(string owner, YamlNode node, ISet<string> properties)
    {
        if (node is not YamlMappingNode map)
        {
            _context.Invalid(node, $"A subschema in the rules of '{owner}' must be a mapping.");
            return null;
        }
        foreach (var (key, keyNode, _) in map.Entries())
            if (!Keywords.Assertion.Contains(key) && !Keywords.IsIgnorable(key))
                _context.Unsupported(keyNode, $"'{key}' is not supported inside the rules of '{owner}'; use required, not, anyOf, oneOf and allOf.");

        var parts = new List<AssertionSpec>();
        if (map.Get("required") is { } requiredNode)
        {
            var names = RequiredNames(owner, requiredNode, properties);
            parts.Add(new AssertionSpec(AssertionKind.Required, names.ToEquatable(), ImmutableEquatableArray<AssertionSpec>.Empty, null));
        }
        foreach (var keyword in Composites)
            if (map.Get(keyword) is { } value && Keyword(owner, keyword, value, properties) is { } part)
                parts.Add(part);

        var description = map.Scalar("description");
        if (parts.Count == 0)
        {
            _context.Invalid(map, $"A subschema in the rules of '{owner}' asserts nothing.");
            return null;
        }
        return parts.Count == 1
            ? parts[0] with { Description = description ?? parts[0].Description }
            : new AssertionSpec(AssertionKind.AllOf, ImmutableEquatableArray<string>.Empty, parts.ToEquatable(), description);
    }

    private AssertionSpec? Keyword(string owner, string keyword, YamlNode value, ISet<string> properties)
    {
        if (keyword == "not")
        {
            var inner = Subschema(owner, value, properties);
            return inner is null ? null : new AssertionSpec(AssertionKind.Not, ImmutableEquatableArray<string>.Empty, new[] { inner }.ToEquatable(), null);
        }
        if (value is not YamlSequenceNode list || list.Children.Count == 0)
        {
            _context.Invalid(value, $"{keyword} in the rules of '{owner}' must be a non-empty list.");
            return null;
        }
        var children = list.Children.Select(c => Subschema(owner, c, properties)).Where(c => c is not null).Select(c => c!).ToEquatable();
        var kind = keyword switch { "anyOf" => AssertionKind.AnyOf, "oneOf" => AssertionKind.OneOf, _ => AssertionKind.AllOf };
        return new AssertionSpec(kind, ImmutableEquatableArray<string>.Empty, children, null);
    }

    private List<string> RequiredNames(string owner, YamlNode node, ISet<string> properties)
    {
        if (node is not YamlSequenceNode list || !list.Children.All(c => c is YamlScalarNode))
        {
            _context.Invalid(node, $"required in the rules of '{owner}' must be a list of property names.");
            return new List<string>();
        }
        var names = list.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
        foreach (var name in names.Where(n => !properties.Contains(n)))
            _context.Invalid(node.Item(name), $"The rules of '{owner}' require '{name}', which is not one of its properties.");
        return names;
    }
}
