using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Sources.Generators.Tests.Harness;

/// <summary>What one run of the generator gave: the compilation with its sources added, and
/// the diagnostics the generator (or the driver, had the generator thrown) reported.</summary>
internal sealed record GeneratorRun(Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriver Driver);

/// <summary>Runs <see cref="SourcesGenerator"/> the way the compiler does, with a spec as its only AdditionalFile.</summary>
internal static class GeneratorHarness
{
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>An empty library like src/Contracts: nullable enabled, every warning wave on.</summary>
    public static CSharpCompilation Compilation(string assemblyName = "Sources.Contracts") => CSharpCompilation.Create(
        assemblyName,
        syntaxTrees: [],
        references: FrameworkReferences.All,
        options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithWarningLevel(9999));

    public static GeneratorDriver Driver(AdditionalText spec) => CSharpGeneratorDriver.Create(
        generators: [new SourcesGenerator().AsSourceGenerator()],
        additionalTexts: [spec],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorRun Run(string specText, string specPath = Specs.RealPath, string assemblyName = "Sources.Contracts")
    {
        var driver = Driver(new InMemoryAdditionalText(specPath, specText))
            .RunGeneratorsAndUpdateCompilation(Compilation(assemblyName), out var output, out var diagnostics);
        return new GeneratorRun(output, diagnostics, driver);
    }
}
