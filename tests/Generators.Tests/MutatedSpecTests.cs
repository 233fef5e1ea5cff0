using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sources.Generators.Tests.Harness;

namespace Sources.Generators.Tests;

/// <summary>
/// The generator never crashes on a spec someone is half-way through editing: the real spec
/// with any one line removed, or cut short after any line, gives diagnostics or code, never
/// SRC999 (our own failure) or the driver's CS8785 (an exception that escaped).
/// </summary>
[Trait("Speed", "fast")]
public sealed class MutatedSpecTests
{
    private static readonly string[] Lines = Specs.Real.Split('\n');

    [Fact]
    public void Removing_any_one_line_never_crashes_the_generator()
    {
        var crashes = Crashes(Enumerable.Range(0, Lines.Length).Select(i => (i + 1, string.Join('\n', Lines.Where((_, j) => j != i)))));

        Assert.Empty(crashes);
    }

    [Fact]
    public void Cutting_the_spec_short_after_any_line_never_crashes_the_generator()
    {
        var crashes = Crashes(Enumerable.Range(1, Lines.Length).Select(n => (n, string.Join('\n', Lines.Take(n)))));

        Assert.Empty(crashes);
    }

    /// <summary>Feeds the versions to one driver in turn, as an editor would: a version whose
    /// model equals the one before is not emitted again, which keeps this test quick.</summary>
    private static List<int> Crashes(IEnumerable<(int Line, string Spec)> versions)
    {
        var compilation = GeneratorHarness.Compilation();
        AdditionalText current = new InMemoryAdditionalText(Specs.RealPath, Specs.Real);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new SourcesGenerator().AsSourceGenerator()], [current]);
        var crashes = new List<int>();
        foreach (var (line, spec) in versions)
        {
            var next = new InMemoryAdditionalText(Specs.RealPath, spec);
            driver = driver.ReplaceAdditionalText(current, next).RunGenerators(compilation);
            current = next;
            var result = driver.GetRunResult();
            if (result.Results.Any(r => r.Exception is not null) || result.Diagnostics.Any(d => d.Id is "SRC999" or "CS8785"))
                crashes.Add(line);
        }
        return crashes;
    }
}
