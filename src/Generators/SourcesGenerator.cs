using System;
using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Sources.Generators.Emitting;
using Sources.Generators.Helpers;
using Sources.Generators.Model;
using Sources.Generators.Parsing;

namespace Sources.Generators;

/// <summary>
/// Turns every <c>*.openapi.yaml</c> AdditionalFile into request and response types with
/// readers, validators, writers and secret metadata, or, in a project that sets
/// <c>SourcesClientNamespace</c>, into a client with a method per operation. Pipeline: spec text → model (parser,
/// cached by value) → source (emitters).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SourcesGenerator : IIncrementalGenerator
{
    public const string ModelStep = "SpecModel";
    public const string ClientStep = "ClientModel";
    private const string ClientNamespaceOption = "build_property.SourcesClientNamespace";
    private const string NamespaceOption = "build_property.SourcesContractsNamespace";
    private const string DefaultNamespace = "Sources.Contracts";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var @namespace = context.AnalyzerConfigOptionsProvider.Select((options, _) =>
            options.GlobalOptions.TryGetValue(NamespaceOption, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : DefaultNamespace);
        // A project that sets SourcesClientNamespace gets the client of the spec's operations
        // instead of the contract: it references the contract's assembly for the types.
        var clientNamespace = context.AnalyzerConfigOptionsProvider.Select((options, _) =>
            options.GlobalOptions.TryGetValue(ClientNamespaceOption, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null);

        var files = context.AdditionalTextsProvider
            .Where(file => file.Path.EndsWith(".openapi.yaml", StringComparison.OrdinalIgnoreCase));

        var clients = files.Combine(clientNamespace.Combine(@namespace))
            .Where(pair => pair.Right.Left is not null)
            .Select((pair, cancellation) => ParseClient(pair.Left, pair.Right.Left!, pair.Right.Right, cancellation))
            .WithTrackingName(ClientStep);
        context.RegisterSourceOutput(clients, EmitClient);

        var specs = files
            .Combine(@namespace.Combine(clientNamespace))
            .Where(pair => pair.Right.Right is null)
            .Select((pair, cancellation) => Parse(pair.Left, pair.Right.Left, cancellation))
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

    private static ClientModel ParseClient(AdditionalText file, string @namespace, string contractsNamespace, System.Threading.CancellationToken cancellation)
    {
        var text = file.GetText(cancellation)?.ToString() ?? "";
        try
        {
            return OperationParser.Parse(file.Path, text, @namespace, contractsNamespace);
        }
        catch (Exception ex)
        {
            return new ClientModel(@namespace, contractsNamespace, Path.GetFileName(file.Path), "ApiClient",
                Helpers.ImmutableEquatableArray<OperationSpec>.Empty,
                new[] { new DiagnosticInfo("SRC999", file.Path, 1, 1, ex.GetType().Name + ": " + ex.Message) }.ToEquatable());
        }
    }

    private static void EmitClient(SourceProductionContext context, ClientModel model)
    {
        foreach (var diagnostic in model.Diagnostics)
            context.ReportDiagnostic(ToDiagnostic(diagnostic));
        if (model.Diagnostics.Count == 0)
            context.AddSource($"{model.ClassName}.g.cs", ClientEmitter.Emit(model));
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
