using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sources.Generators.Tests.Harness;

namespace Sources.Generators.Tests;

/// <summary>
/// The spec is parsed once and its model reused: an edit to C# elsewhere in the project redoes
/// nothing, while an edit to the spec redoes the model and the sources that come from it.
/// </summary>
[Trait("Speed", "fast")]
public sealed class IncrementalCachingTests
{
    private static readonly InMemoryAdditionalText Spec = new(Specs.RealPath, Specs.Real);
    private readonly CSharpCompilation _compilation = GeneratorHarness.Compilation();
    private readonly GeneratorDriver _firstRun;

    public IncrementalCachingTests() => _firstRun = GeneratorHarness.Driver(Spec).RunGenerators(_compilation);

    [Fact]
    public void An_unrelated_syntax_tree_leaves_the_model_and_every_source_cached()
    {
        var unrelated = CSharpSyntaxTree.ParseText("namespace Elsewhere; public sealed class Unrelated { }", GeneratorHarness.ParseOptions);

        var result = _firstRun.RunGenerators(_compilation.AddSyntaxTrees(unrelated)).GetRunResult().Results.Single();

        Assert.All(ModelOutputs(result), reason => Assert.True(IsReused(reason), $"model output was {reason}"));
        Assert.NotEmpty(SourceOutputs(result));
        Assert.All(SourceOutputs(result), reason => Assert.True(IsReused(reason), $"source output was {reason}"));
    }

    [Fact]
    public void A_changed_spec_gives_a_modified_model_and_modified_sources()
    {
        var result = RunWith(Specs.Real.Replace("maxLength: 4096", "maxLength: 4000"));

        Assert.Equal([IncrementalStepRunReason.Modified], ModelOutputs(result));
        Assert.Contains(IncrementalStepRunReason.Modified, SourceOutputs(result));
        Assert.Contains(result.GeneratedSources, source => source.SourceText.ToString().Contains("> 4000", StringComparison.Ordinal));
    }

    [Fact]
    public void A_spec_edit_that_changes_no_meaning_leaves_the_model_unchanged()
    {
        // A YAML comment on an existing line: new text, same model (no line moves, so every diagnostic location holds).
        var result = RunWith(Specs.Real.Replace("openapi: 3.0.3", "openapi: 3.0.3 # reviewed"));

        Assert.Equal([IncrementalStepRunReason.Unchanged], ModelOutputs(result));
        Assert.All(SourceOutputs(result), reason => Assert.True(IsReused(reason), $"source output was {reason}"));
    }

    private GeneratorRunResult RunWith(string specText) =>
        _firstRun.ReplaceAdditionalText(Spec, new InMemoryAdditionalText(Specs.RealPath, specText))
            .RunGenerators(_compilation).GetRunResult().Results.Single();

    private static List<IncrementalStepRunReason> ModelOutputs(GeneratorRunResult result) =>
        Assert.Single(result.TrackedSteps[SourcesGenerator.ModelStep]).Outputs.Select(output => output.Reason).ToList();

    private static List<IncrementalStepRunReason> SourceOutputs(GeneratorRunResult result) =>
        result.TrackedOutputSteps.SelectMany(step => step.Value).SelectMany(step => step.Outputs).Select(output => output.Reason).ToList();

    private static bool IsReused(IncrementalStepRunReason reason) =>
        reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged;
}
