using Sources.Generators.Helpers;

namespace Sources.Generators.Model;

/// <summary>Everything the emitter needs from one spec file, with value equality for caching.</summary>
public sealed record SpecModel(
    string Namespace,
    string SpecFileName,
    ImmutableEquatableArray<ObjectSpec> Objects,
    ImmutableEquatableArray<UnionSpec> Unions,
    ImmutableEquatableArray<DiscriminatedUnionSpec> DiscriminatedUnions,
    ImmutableEquatableArray<DiagnosticInfo> Diagnostics);
