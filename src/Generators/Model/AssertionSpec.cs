using Sources.Generators.Helpers;

namespace Sources.Generators.Model;

public enum AssertionKind { Required, Not, AnyOf, OneOf, AllOf }

/// <summary>
/// A rule across the fields of one object, from <c>required</c>, <c>not</c>, <c>anyOf</c>,
/// <c>oneOf</c> and <c>allOf</c> written at object level in the spec.
/// </summary>
public sealed record AssertionSpec(
    AssertionKind Kind,
    ImmutableEquatableArray<string> Required,
    ImmutableEquatableArray<AssertionSpec> Children,
    string? Description);
