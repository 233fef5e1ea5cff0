using Sources.Generators.Helpers;

namespace Sources.Generators.Model;

/// <summary>How a body or an answer is typed in C#: its type, and how the generated client reads it.</summary>
public enum BodyKind { Object, Union, FreeForm }

/// <summary>A body or answer schema: a named object, a discriminated union (its interface), or free-form JSON.</summary>
public sealed record BodySpec(string SchemaName, BodyKind Kind);

/// <summary>One path, query or header parameter; strings and integers only.</summary>
public sealed record ParameterSpec(string JsonName, string CSharpName, string In, bool Required, bool IsInteger, bool IsLong, string? Description);

/// <summary>One operation of the spec's paths, as a method of the generated client.</summary>
public sealed record OperationSpec(
    string OperationId,
    string MethodName,
    string HttpMethod,
    string Path,
    string? Summary,
    ImmutableEquatableArray<ParameterSpec> Parameters,
    BodySpec? Body,
    bool BodyRequired,
    int SuccessStatus,
    BodySpec? Answer);

/// <summary>What the client emitter needs from one spec file.</summary>
public sealed record ClientModel(
    string Namespace,
    string ContractsNamespace,
    string SpecFileName,
    string ClassName,
    ImmutableEquatableArray<OperationSpec> Operations,
    ImmutableEquatableArray<DiagnosticInfo> Diagnostics);
