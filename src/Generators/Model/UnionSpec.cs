using Sources.Generators.Helpers;

namespace Sources.Generators.Model;

/// <summary>
/// A <c>oneOf</c> whose branches each take a different JSON type (say an object or a string):
/// the token in the input selects the branch, so at most one can match.
/// </summary>
public sealed record UnionSpec(string Name, ImmutableEquatableArray<ValueSpec> Branches);
