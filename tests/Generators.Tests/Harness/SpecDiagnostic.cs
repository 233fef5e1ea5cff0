using Microsoft.CodeAnalysis;

namespace Sources.Generators.Tests.Harness;

/// <summary>A generator diagnostic as the tests compare it: its id, the spec file and the 1-based line.</summary>
internal sealed record SpecDiagnostic(string Id, string Path, int Line, DiagnosticSeverity Severity)
{
    public static SpecDiagnostic From(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return new SpecDiagnostic(diagnostic.Id, span.Path, span.StartLinePosition.Line + 1, diagnostic.Severity);
    }
}
