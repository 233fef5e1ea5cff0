using Microsoft.CodeAnalysis;

namespace Sources.Generators;

/// <summary>Every diagnostic the generator reports, in one place. Each is an error: a spec the
/// generator cannot honour must stop the build, never be skipped.</summary>
public static class DiagnosticDescriptors
{
    private const string Category = "Sources.Contract";

    public static readonly DiagnosticDescriptor YamlSyntax = Create(
        "SRC001", "Spec is not valid YAML", "The spec is not valid YAML: {0}");

    public static readonly DiagnosticDescriptor UnresolvedReference = Create(
        "SRC002", "Unresolved $ref", "{0}");

    public static readonly DiagnosticDescriptor UnsupportedConstruct = Create(
        "SRC003", "Unsupported construct in spec", "{0}");

    public static readonly DiagnosticDescriptor InvalidValue = Create(
        "SRC004", "Invalid value in spec", "{0}");

    public static readonly DiagnosticDescriptor MissingSchemas = Create(
        "SRC005", "Spec has no schemas", "{0}");

    public static readonly DiagnosticDescriptor GeneratorFailure = Create(
        "SRC999", "The contract generator failed", "The contract generator failed on this spec: {0}");

    public static DiagnosticDescriptor ById(string id) => id switch
    {
        "SRC001" => YamlSyntax,
        "SRC002" => UnresolvedReference,
        "SRC003" => UnsupportedConstruct,
        "SRC004" => InvalidValue,
        "SRC005" => MissingSchemas,
        _ => GeneratorFailure,
    };

    private static DiagnosticDescriptor Create(string id, string title, string format) =>
        new(id, title, format, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
}
