namespace Sources.Generators.Model;

/// <summary>A diagnostic held as plain data (no Roslyn Location) so the model stays cacheable.</summary>
public sealed record DiagnosticInfo(string Id, string FilePath, int Line, int Column, string Message);
