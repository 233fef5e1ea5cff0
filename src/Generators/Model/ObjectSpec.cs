using Sources.Generators.Helpers;

namespace Sources.Generators.Model;

/// <summary>A named object schema: becomes a class with a reader, a writer and its rules.</summary>
public sealed record ObjectSpec(
    string Name,
    string? Description,
    ImmutableEquatableArray<PropertySpec> Properties,
    bool AllowsAdditionalProperties,
    AssertionSpec? Assertion,
    ImmutableEquatableArray<string> Implements);
