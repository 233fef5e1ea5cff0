namespace Sources.Generators.Model;

/// <summary>One property of an object schema.</summary>
/// <param name="DefaultValue">The spec's <c>default</c>, already a C# expression.</param>
/// <param name="FoldsCase">A discriminator whose value is matched in any letter case and kept upper case.</param>
/// <param name="LocatesSource">Marked <c>x-locates-source</c>: the property decides where a probe goes or as whom it signs in.</param>
public sealed record PropertySpec(
    string JsonName,
    string Name,
    ValueSpec Value,
    bool Required,
    bool WriteOnly,
    bool LocatesSource,
    string? Description,
    string? DefaultValue,
    bool FoldsCase);
