using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Sources.Generators.Helpers;
using Sources.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Sources.Generators.Parsing;

/// <summary>Parses the schema of one value (a property, an array's items, a union's branch):
/// its JSON type and every constraint on it.</summary>
internal sealed class ValueParser
{
    private readonly SchemaContext _context;

    public ValueParser(SchemaContext context) => _context = context;

    public ValueSpec Parse(string owner, string property, YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            _context.Invalid(node, $"The schema of '{property}' in '{owner}' must be a mapping.");
            return new ValueSpec(ValueKind.String);
        }
        foreach (var (key, keyNode, _) in map.Entries())
        {
            if (!Keywords.Value.Contains(key) && !Keywords.IsIgnorable(key))
                _context.Unsupported(keyNode, $"'{key}' is not supported on a property schema ('{property}' in '{owner}').");
            if (key == Keywords.PresenceRules)
                _context.Unsupported(keyNode, $"{Keywords.PresenceRules} belongs on an object schema, not on a property ('{property}' in '{owner}').");
        }
        if (map.Scalar("nullable") == "true")
            _context.Unsupported(map.Get("nullable")!, $"nullable: true is not supported ('{property}' in '{owner}'); leave the property out instead.");

        if (map.Scalar("$ref") is { } reference)
            return Reference(owner, property, map, reference);
        if (map.Get("oneOf") is { } oneOf)
            return Union(owner, property, oneOf);

        var type = map.Scalar("type");
        switch (type)
        {
            case "string": return String(owner, property, map);
            case "integer": return Integer(map);
            case "number": return new ValueSpec(ValueKind.Number, Minimum: Decimal(map, "minimum"), Maximum: Decimal(map, "maximum"));
            case "boolean": return new ValueSpec(ValueKind.Boolean);
            case "array": return Array(owner, property, map);
            case "object" when map.Get("properties") is null && map.Scalar("additionalProperties") == "true":
                return new ValueSpec(ValueKind.Any);
            case "object":
                _context.Unsupported(map.Get("type")!, $"Inline object schemas are not supported ('{property}' in '{owner}'); name it under components/schemas and $ref it, or make it free-form (additionalProperties: true, no properties).");
                return new ValueSpec(ValueKind.String);
            default:
                _context.Unsupported((YamlNode?)map.Get("type") ?? map,
                    type is null ? $"'{property}' in '{owner}' has no type." : $"Type '{type}' is not supported ('{property}' in '{owner}').");
                return new ValueSpec(ValueKind.String);
        }
    }

    private ValueSpec Reference(string owner, string property, YamlMappingNode map, string reference)
    {
        var name = SpecParser.SchemaName(reference);
        if (name is not null && _context.Schema(name) is { } union && union.Get("discriminator") is not null)
            return new ValueSpec(ValueKind.Object, TypeName: _context.Qualified("I" + name), UnionReader: _context.Qualified(name));
        if (name is null || _context.Schema(name) is not { } target || !ObjectParser.IsObject(target))
        {
            // Unresolved references were reported already; this is a reference to something that is no object type.
            if (name is not null && _context.Schema(name) is not null)
                _context.Unsupported(map, $"'{property}' in '{owner}' refers to '{name}', which is not an object schema.");
            return new ValueSpec(ValueKind.String);
        }
        return new ValueSpec(ValueKind.Object, TypeName: _context.Qualified(name));
    }

    private ValueSpec Union(string owner, string property, YamlNode oneOf)
    {
        if (oneOf is not YamlSequenceNode list || list.Children.Count < 2)
        {
            _context.Invalid(oneOf, $"oneOf of '{property}' in '{owner}' must list at least two schemas.");
            return new ValueSpec(ValueKind.String);
        }
        var branches = list.Children.Select(child => Parse(owner, property, child)).ToList();
        var kinds = branches.Select(JsonKind).ToList();
        if (kinds.Distinct().Count() != kinds.Count || branches.Any(b => b.Kind == ValueKind.Union))
        {
            _context.Unsupported(oneOf, $"oneOf of '{property}' in '{owner}': each branch must take a different JSON type (the token selects the branch).");
            return new ValueSpec(ValueKind.String);
        }
        var name = _context.UnionName(owner, Names.Pascal(property));
        var spec = new ValueSpec(ValueKind.Union, TypeName: _context.Qualified(name), Branches: branches.ToEquatable());
        _context.Unions.Add(new UnionSpec(name, branches.ToEquatable()));
        return spec;
    }

    /// <summary>Integer and number share the JSON number token, and a named and a free-form object
    /// the object token, so neither pair may both be branches.</summary>
    private static ValueKind JsonKind(ValueSpec spec) => spec.Kind switch
    {
        ValueKind.Integer => ValueKind.Number,
        ValueKind.Any => ValueKind.Object,
        _ => spec.Kind,
    };

    private ValueSpec String(string owner, string property, YamlMappingNode map)
    {
        var pattern = map.Scalar("pattern");
        if (pattern is not null)
        {
            try { _ = new Regex(pattern); }
            catch (System.ArgumentException ex) { _context.Invalid(map.Get("pattern")!, $"pattern of '{property}' in '{owner}' is not a valid regular expression: {ex.Message}"); pattern = null; }
        }
        var format = map.Scalar("format");
        if (format is not null && format != "uri")
        {
            _context.Unsupported(map.Get("format")!, $"String format '{format}' is not supported ('{property}' in '{owner}'); supported: uri.");
            format = null;
        }
        ImmutableEquatableArray<string>? values = null;
        if (map.Get("enum") is { } node)
        {
            if (node is YamlSequenceNode list && list.Children.Count > 0 && list.Children.All(c => c is YamlScalarNode))
                values = list.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToEquatable();
            else
                _context.Invalid(node, $"enum of '{property}' in '{owner}' must be a non-empty list of strings.");
        }
        return new ValueSpec(ValueKind.String,
            MinLength: Whole(map, "minLength"), MaxLength: Whole(map, "maxLength"),
            Pattern: pattern, Format: format, Enum: values);
    }

    private ValueSpec Integer(YamlMappingNode map)
    {
        var format = map.Scalar("format") ?? "int64";
        if (format != "int32" && format != "int64")
        {
            _context.Unsupported(map.Get("format")!, $"Integer format '{format}' is not supported; use int32 or int64.");
            format = "int64";
        }
        return new ValueSpec(ValueKind.Integer, Format: format, Minimum: Decimal(map, "minimum"), Maximum: Decimal(map, "maximum"));
    }

    private ValueSpec Array(string owner, string property, YamlMappingNode map)
    {
        if (map.Get("items") is not { } itemsNode)
        {
            _context.Unsupported(map, $"Array '{property}' in '{owner}' has no items schema.");
            return new ValueSpec(ValueKind.Array, Items: new ValueSpec(ValueKind.String));
        }
        var items = Parse(owner, property, itemsNode);
        var unique = map.Scalar("uniqueItems") == "true";
        if (unique && items.Kind != ValueKind.String && items.Kind != ValueKind.Integer)
            _context.Unsupported(map.Get("uniqueItems")!, $"uniqueItems is supported on arrays of strings or integers ('{property}' in '{owner}').");
        return new ValueSpec(ValueKind.Array, MinItems: Whole(map, "minItems"), MaxItems: Whole(map, "maxItems"), UniqueItems: unique, Items: items);
    }

    private long? Whole(YamlMappingNode map, string key)
    {
        if (map.Get(key) is not { } node) return null;
        if (node is YamlScalarNode scalar && long.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return value;
        _context.Invalid(node, $"{key} must be a whole number of zero or more.");
        return null;
    }

    private decimal? Decimal(YamlMappingNode map, string key)
    {
        if (map.Get(key) is not { } node) return null;
        if (node is YamlScalarNode scalar && decimal.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            return value;
        _context.Invalid(node, $"{key} must be a number.");
        return null;
    }
}
