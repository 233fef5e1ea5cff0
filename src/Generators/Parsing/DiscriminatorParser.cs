using System.Collections.Generic;
using System.Linq;
using Sources.Generators.Helpers;
using Sources.Generators.Model;
using YamlDotNet.RepresentationModel;

namespace Sources.Generators.Parsing;

/// <summary>Parses a <c>oneOf</c> of object schemas with a <c>discriminator</c>: which value
/// of which property selects which type.</summary>
internal sealed class DiscriminatorParser
{
    private readonly SchemaContext _context;

    public DiscriminatorParser(SchemaContext context) => _context = context;

    public DiscriminatedUnionSpec? Parse(string name, YamlMappingNode map)
    {
        if (map.Get("discriminator") is not YamlMappingNode discriminator || discriminator.Scalar("propertyName") is not { } property)
        {
            _context.Invalid(map.Get("discriminator")!, $"The discriminator of '{name}' needs a propertyName.");
            return null;
        }
        if (map.Get("oneOf") is not YamlSequenceNode oneOf)
        {
            _context.Unsupported(map, $"'{name}' has a discriminator but no oneOf list; only oneOf with a discriminator is supported.");
            return null;
        }

        var mappings = new List<DiscriminatorMapping>();
        foreach (var branch in oneOf.Children)
        {
            var typeName = branch is YamlMappingNode b && b.Scalar("$ref") is { } r ? SpecParser.SchemaName(r) : null;
            if (typeName is null || _context.Schema(typeName) is not { } target)
            {
                _context.Unsupported(branch, $"Each oneOf branch of '{name}' must be a $ref to an object schema.");
                continue;
            }
            if (Value(target, property) is not { } value)
            {
                _context.Invalid(branch, $"'{typeName}' must declare '{property}' as a required string with exactly one enum value to be selected by '{name}'.");
                continue;
            }
            mappings.Add(new DiscriminatorMapping(value, typeName));
        }
        CheckMapping(name, discriminator, mappings);
        CheckFields(name, discriminator);

        return new DiscriminatedUnionSpec(
            name,
            map.Scalar("description"),
            property,
            map.Scalar("x-case-insensitive") == "true",
            mappings.ToEquatable());
    }

    /// <summary>An OpenAPI 3.0 Discriminator Object has propertyName and mapping, and no extensions.</summary>
    private void CheckFields(string name, YamlMappingNode discriminator)
    {
        foreach (var (key, keyNode, _) in discriminator.Entries())
            if (key != "propertyName" && key != "mapping")
                _context.Invalid(keyNode, $"The discriminator of '{name}' may hold only propertyName and mapping in OpenAPI 3.0; put '{key}' on the schema.");
    }

    /// <summary>An explicit mapping must agree with the values the branches declare.</summary>
    private void CheckMapping(string name, YamlMappingNode discriminator, List<DiscriminatorMapping> mappings)
    {
        if (discriminator.Get("mapping") is not YamlMappingNode explicitMapping) return;
        foreach (var (value, keyNode, target) in explicitMapping.Entries())
        {
            var typeName = target is YamlScalarNode t && t.Value is { } r ? SpecParser.SchemaName(r) : null;
            if (!mappings.Any(m => m.Value == value && m.TypeName == typeName))
                _context.Invalid(keyNode, $"The mapping of '{name}' sends '{value}' to '{typeName}', but that schema does not declare it.");
        }
    }

    private static string? Value(YamlMappingNode target, string property)
    {
        var required = target.Get("required") is YamlSequenceNode list && list.Children.OfType<YamlScalarNode>().Any(c => c.Value == property);
        if (!required || target.Get("properties") is not YamlMappingNode props || props.Get(property) is not YamlMappingNode schema)
            return null;
        return schema.Get("enum") is YamlSequenceNode values && values.Children.Count == 1 && values.Children[0] is YamlScalarNode only
            ? only.Value
            : null;
    }
}
