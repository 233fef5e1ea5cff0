using System;
using System.IO;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Sources.Generators.Emitting;
using Sources.Generators.Helpers;
using Sources.Generators.Model;
using Sources.Generators.Parsing;

namespace Sources.Generators;

/// <summary>
/// Turns every <c>*.openapi.yaml</c> AdditionalFile into request and response types with
/// readers, validators, writers and secret metadata. Pipeline: spec text → model (parser,
/// cached by value) → source (emitters).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SourcesGenerator : IIncrementalGenerator
{
    public const string ModelStep = "SpecModel";
    private const string NamespaceOption = "build_property.SourcesContractsNamespace";
    private const string DefaultNamespace = "Sources.Contracts";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var @namespace = context.AnalyzerConfigOptionsProvider.Select((options, _) =>
            options.GlobalOptions.TryGetValue(NamespaceOption, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : DefaultNamespace);

        var specs = context.AdditionalTextsProvider
            .Where(file => file.Path.EndsWith(".openapi.yaml", StringComparison.OrdinalIgnoreCase))
            .Combine(@namespace)
            .Select((pair, cancellation) => Parse(pair.Left, pair.Right, cancellation))
            .WithTrackingName(ModelStep);

        context.RegisterSourceOutput(specs, Emit);

        var runtimeNamespace = specs.Collect().Combine(@namespace)
            .Select((pair, _) => pair.Left.IsEmpty ? null : pair.Right);
        context.RegisterSourceOutput(runtimeNamespace, EmitRuntime);
    }

    private static SpecModel Parse(AdditionalText file, string @namespace, System.Threading.CancellationToken cancellation)
    {
        var text = file.GetText(cancellation)?.ToString() ?? "";
        try
        {
            return SpecParser.Parse(file.Path, text, @namespace);
        }
        catch (Exception ex)
        {
            // A bug of ours must surface as a diagnostic on the spec, never as a crashed build.
            return new SpecModel(@namespace, Path.GetFileName(file.Path),
                Helpers.ImmutableEquatableArray<ObjectSpec>.Empty,
                Helpers.ImmutableEquatableArray<UnionSpec>.Empty,
                Helpers.ImmutableEquatableArray<DiscriminatedUnionSpec>.Empty,
                new[] { new DiagnosticInfo("SRC999", file.Path, 1, 1, ex.GetType().Name + ": " + ex.Message) }.ToEquatable());
        }
    }

    private static void Emit(SourceProductionContext context, SpecModel model)
    {
        foreach (var diagnostic in model.Diagnostics)
            context.ReportDiagnostic(ToDiagnostic(diagnostic));
        if (model.Diagnostics.Count > 0)
            return;

        var prefix = Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(model.SpecFileName));
        foreach (var spec in model.Objects)
            context.AddSource($"{prefix}.{spec.Name}.g.cs", ObjectEmitter.Emit(spec, model.Namespace, model.SpecFileName));
        foreach (var union in model.Unions)
            context.AddSource($"{prefix}.{union.Name}.g.cs", UnionEmitter.Emit(union, model.Namespace, model.SpecFileName));
        foreach (var union in model.DiscriminatedUnions)
            context.AddSource($"{prefix}.{union.Name}.g.cs", DiscriminatorEmitter.Emit(union, model.Namespace, model.SpecFileName));
    }

    private static void EmitRuntime(SourceProductionContext context, string? @namespace)
    {
        if (@namespace is null) return;
        using var stream = typeof(SourcesGenerator).Assembly.GetManifestResourceStream("Sources.Generators.ContractRuntime.cs")!;
        using var reader = new StreamReader(stream);
        context.AddSource("ContractRuntime.g.cs", reader.ReadToEnd().Replace("__NAMESPACE__", @namespace));
    }

    private static Diagnostic ToDiagnostic(DiagnosticInfo info)
    {
        var position = new LinePosition(Math.Max(0, info.Line - 1), Math.Max(0, info.Column - 1));
        var location = Location.Create(info.FilePath, new TextSpan(0, 0), new LinePositionSpan(position, position));
        return Diagnostic.Create(DiagnosticDescriptors.ById(info.Id), location, info.Message);
    }
}
