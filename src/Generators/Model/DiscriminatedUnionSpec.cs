using Sources.Generators.Helpers;

namespace Sources.Generators.Model;

/// <summary>A <c>oneOf</c> of object schemas selected by a discriminator property.</summary>
public sealed record DiscriminatedUnionSpec(
    string Name,
    string? Description,
    string PropertyJsonName,
    bool CaseInsensitive,
    ImmutableEquatableArray<DiscriminatorMapping> Mappings);

public sealed record DiscriminatorMapping(string Value, string TypeName);
