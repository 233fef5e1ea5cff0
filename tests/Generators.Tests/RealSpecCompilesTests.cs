using Microsoft.CodeAnalysis;
using Sources.Generators.Tests.Harness;

namespace Sources.Generators.Tests;

/// <summary>The real contract generates code that compiles cleanly, with nothing to report.</summary>
[Trait("Speed", "fast")]
public sealed class RealSpecCompilesTests
{
    private static readonly GeneratorRun Run = GeneratorHarness.Run(Specs.Real);

    [Fact]
    public void The_generator_reports_nothing_and_does_not_fail()
    {
        Assert.Empty(Run.GeneratorDiagnostics);
        Assert.All(Run.Driver.GetRunResult().Results, result => Assert.Null(result.Exception));
    }

    [Fact]
    public void The_generated_code_compiles_with_no_diagnostic_of_any_severity()
    {
        var diagnostics = Run.Output.GetDiagnostics();

        Assert.True(diagnostics.IsEmpty, string.Join(Environment.NewLine, diagnostics));
    }

    [Fact]
    public void Every_schema_and_the_runtime_become_sources()
    {
        var hints = Run.Driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.HintName).ToHashSet();

        string[] expected =
        [
            "ContractRuntime.g.cs", "sources.CreateSourceRequest.g.cs", "sources.PostgresConnectionRequest.g.cs",
            "sources.BigQueryConnectionRequest.g.cs", "sources.ServiceAccountKeyValue.g.cs", "sources.FileUrl.g.cs",
            "sources.Problem.g.cs",
        ];
        Assert.All(expected, hint => Assert.Contains(hint, hints));
    }

    [Fact]
    public void Nullable_analysis_is_on_in_the_compilation_under_test()
    {
        // Guards the test above: a clean compile only means something with nullable warnings enabled.
        Assert.Equal(NullableContextOptions.Enable, Run.Output.Options.NullableContextOptions);
    }
}
