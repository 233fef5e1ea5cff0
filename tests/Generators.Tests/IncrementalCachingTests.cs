using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sources.Generators.Tests.Harness;

namespace Sources.Generators.Tests;

/// <summary>
/// The spec is parsed once and its model reused: an edit to C# elsewhere in the project redoes
/// nothing, while an edit to the spec redoes the model and the sources that come from it.
/// </summary>
public sealed class IncrementalCachingTests
{
    private static readonly InMemoryAdditionalText Spec = new(Specs.RealPath, Specs.Real);

    [Fact]
    public void An_unrelated_syntax_tree_leaves_the_model_and_every_source_cached()
    {
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.Driver(Spec).RunGenerators(compilation);

        var unrelated = CSharpSyntaxTree.ParseText("namespace Elsewhere; public sealed class Unrelated { }", GeneratorHarness.ParseOptions);
        var result = driver.RunGenerators(compilation.AddSyntaxTrees(unrelated)).GetRunResult().Results.Single();

        var model = Assert.Single(result.TrackedSteps[SourcesGenerator.ModelStep]);
        Assert.All(model.Outputs, output => Assert.True(IsReused(output.Reason), $"model output was {output.Reason}"));
        Assert.NotEmpty(result.TrackedOutputSteps);
        Assert.All(result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => Assert.True(IsReused(output.Reason), $"source output was {output.Reason}"));
    }

    [Fact]
    public void A_changed_spec_gives_a_modified_model_and_modified_sources()
    {
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.Driver(Spec).RunGenerators(compilation);

        var changed = new InMemoryAdditionalText(Specs.RealPath, Specs.Real.Replace("maxLength: 4096", "maxLength: 4000"));
        var result = driver.ReplaceAdditionalText(Spec, changed).RunGenerators(compilation).GetRunResult().Results.Single();

        var model = Assert.Single(result.TrackedSteps[SourcesGenerator.ModelStep]);
        Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(model.Outputs).Reason);
        Assert.Contains(result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.GeneratedSources, source => source.SourceText.ToString().Contains("> 4000", StringComparison.Ordinal));
    }

    [Fact]
    public void A_spec_edit_that_changes_no_meaning_leaves_the_model_unchanged()
    {
        var compilation = GeneratorHarness.Compilation();
        var driver = GeneratorHarness.Driver(Spec).RunGenerators(compilation);

        // A YAML comment on an existing line: new text, same model (no line moves, so every diagnostic location holds).
        var commented = new InMemoryAdditionalText(Specs.RealPath, Specs.Real.Replace("openapi: 3.0.3", "openapi: 3.0.3 # reviewed"));
        var result = driver.ReplaceAdditionalText(Spec, commented).RunGenerators(compilation).GetRunResult().Results.Single();

        var model = Assert.Single(result.TrackedSteps[SourcesGenerator.ModelStep]);
        Assert.Equal(IncrementalStepRunReason.Unchanged, Assert.Single(model.Outputs).Reason);
        Assert.All(result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs),
            output => Assert.True(IsReused(output.Reason), $"source output was {output.Reason}"));
    }

    private static bool IsReused(IncrementalStepRunReason reason) =>
        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged;
}
