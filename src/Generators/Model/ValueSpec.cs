using Sources.Generators.Helpers;

namespace Sources.Generators.Model;

/// <summary>JSON types a value may take; <see cref="Any"/> is a free-form object kept as JSON.</summary>
public enum ValueKind { String, Integer, Number, Boolean, Array, Object, Union, Any }

/// <summary>
/// The type of a value and every constraint on it. One record for every kind keeps equality
/// simple; a constraint a kind does not have stays null. <see cref="UnionReader"/> names the
/// static reader of a discriminated union the value refers to (its type is the union's interface).
/// </summary>
public sealed record ValueSpec(
    ValueKind Kind,
    string? TypeName = null,
    long? MinLength = null,
    long? MaxLength = null,
    string? Pattern = null,
    string? Format = null,
    ImmutableEquatableArray<string>? Enum = null,
    decimal? Minimum = null,
    decimal? Maximum = null,
    long? MinItems = null,
    long? MaxItems = null,
    bool UniqueItems = false,
    ValueSpec? Items = null,
    ImmutableEquatableArray<ValueSpec>? Branches = null,
    string? UnionReader = null)
{
    /// <summary>A reference to a oneOf with a discriminator: typed as its interface, read by its static reader.</summary>
    public bool IsDiscriminatedUnion => UnionReader is not null;
}
