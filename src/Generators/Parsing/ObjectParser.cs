using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sources.Generators.Helpers;
using Sources.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Sources.Generators.Parsing;

/// <summary>Parses a named object schema: its properties, what is required, whether other
/// properties are allowed, and its rules across fields.</summary>
internal sealed class ObjectParser
{
    private readonly SchemaContext _context;
    private readonly ValueParser _values;
    private readonly AssertionParser _assertions;
    private readonly IReadOnlyList<DiscriminatedUnionSpec> _unions;

    public ObjectParser(SchemaContext context, IReadOnlyList<DiscriminatedUnionSpec> unions)
    {
        _context = context;
        _values = new ValueParser(context);
        _assertions = new AssertionParser(context);
        _unions = unions;
    }

    public static bool IsObject(YamlMappingNode map) =>
        map.Scalar("type") == "object" || (map.Get("type") is null && map.Get("properties") is not null);

    public ObjectSpec Parse(string name, YamlMappingNode map)
    {
        foreach (var (key, keyNode, _) in map.Entries())
        {
            if (!Keywords.Object.Contains(key) && !Keywords.IsIgnorable(key))
                _context.Unsupported(keyNode, $"'{key}' is not supported on an object schema ('{name}').");
            if (key == Keywords.LocatesSource)
                _context.Unsupported(keyNode, $"{Keywords.LocatesSource} marks a property, not a schema ('{name}').");
        }

        var required = StringList(map.Get("required"), name, "required");
        var allowsAdditional = AllowsAdditional(name, map);
        var memberOf = _unions.Where(u => u.Mappings.Any(m => m.TypeName == name)).ToList();

        var properties = new List<PropertySpec>();
        if (map.Get("properties") is YamlMappingNode props)
        {
            foreach (var (jsonName, _, node) in props.Entries())
                properties.Add(Property(name, jsonName, node, required.Contains(jsonName), memberOf));
        }
        else if (map.Get("properties") is { } wrong)
        {
            _context.Invalid(wrong, $"properties of '{name}' must be a mapping.");
        }

        if (properties.Count > 64)
            _context.Unsupported(map.Get("properties")!, $"'{name}' has {properties.Count} properties; at most 64 are supported (one presence bit each).");

        var known = new HashSet<string>(properties.Select(p => p.JsonName));
        foreach (var missing in required.Where(r => !known.Contains(r)))
            _context.Invalid(map.Get("required")!.Item(missing), $"'{name}' requires '{missing}', which is not one of its properties.");

        return new ObjectSpec(
            name,
            map.Scalar("description"),
            properties.ToEquatable(),
            allowsAdditional,
            _assertions.ParseObjectRules(name, map, known),
            memberOf.Select(u => "I" + u.Name).ToEquatable());
    }

    private PropertySpec Property(string owner, string jsonName, YamlNode node, bool required, List<DiscriminatedUnionSpec> memberOf)
    {
        var value = _values.Parse(owner, jsonName, node);
        var map = node as YamlMappingNode;
        return new PropertySpec(
            jsonName,
            Names.Pascal(jsonName),
            value,
            required,
            WriteOnly: map?.Scalar("writeOnly") == "true",
            LocatesSource: map is not null && LocatesSource(owner, jsonName, map, memberOf),
            Description: map?.Scalar("description"),
            DefaultValue: map is null ? null : Default(owner, jsonName, value, map),
            FoldsCase: memberOf.Any(u => u.CaseInsensitive && u.PropertyJsonName == jsonName));
    }

    /// <summary>
    /// <c>x-locates-source</c>: a boolean, on a property of a shape a discriminator selects (the
    /// only place the service asks for it), and never on the discriminator itself, which no
    /// change can move. Anything else would be a mark the generated code silently ignores.
    /// </summary>
    private bool LocatesSource(string owner, string property, YamlMappingNode map, List<DiscriminatedUnionSpec> memberOf)
    {
        if (map.Get(Keywords.LocatesSource) is not { } node) return false;
        if (node is not YamlScalarNode { Value: "true" or "false" } flag)
        {
            _context.Invalid(node, $"{Keywords.LocatesSource} of '{property}' in '{owner}' must be true or false.");
            return false;
        }
        if (flag.Value != "true") return false;
        if (memberOf.Count == 0)
        {
            _context.Unsupported(node, $"{Keywords.LocatesSource} on '{property}': '{owner}' is not a shape any discriminator selects.");
            return false;
        }
        if (memberOf.Any(u => u.PropertyJsonName == property))
        {
            _context.Unsupported(node, $"{Keywords.LocatesSource} on '{property}': the discriminator of '{owner}' cannot change, so it locates nothing.");
            return false;
        }
        return true;
    }

    private string? Default(string owner, string property, ValueSpec value, YamlMappingNode map)
    {
        if (map.Get("default") is not { } node) return null;
        var text = (node as YamlScalarNode)?.Value;
        switch (value.Kind)
        {
            case ValueKind.String when text is not null:
                return Names.Literal(text);
            case ValueKind.Integer when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole):
                return whole.ToString(CultureInfo.InvariantCulture) + (value.Format == "int32" ? "" : "L");
            case ValueKind.Number when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                return number.ToString("R", CultureInfo.InvariantCulture) + "d";
            case ValueKind.Boolean when text is "true" or "false":
                return text;
            default:
                _context.Unsupported(node, $"The default of '{property}' in '{owner}' must be a {value.Kind.ToString().ToLowerInvariant()} scalar.");
                return null;
        }
    }

    private bool AllowsAdditional(string name, YamlMappingNode map)
    {
        switch (map.Get("additionalProperties"))
        {
            case null: return true;
            case YamlScalarNode { Value: "true" }: return true;
            case YamlScalarNode { Value: "false" }: return false;
            case var other:
                _context.Unsupported(other, $"additionalProperties of '{name}' must be true or false.");
                return true;
        }
    }

    private List<string> StringList(YamlNode? node, string owner, string keyword)
    {
        if (node is null) return new List<string>();
        if (node is YamlSequenceNode list && list.Children.All(c => c is YamlScalarNode))
            return list.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
        _context.Invalid(node, $"{keyword} of '{owner}' must be a list of property names.");
        return new List<string>();
    }
}
