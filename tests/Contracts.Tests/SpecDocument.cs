using System.Text.Json.Nodes;

namespace Sources.Contracts.Tests;

/// <summary>
/// The spec the generator compiled from (embedded in Sources.Contracts), as YAML text and as
/// JSON: every test reads schemas and examples from here, never re-types them.
/// </summary>
internal sealed class SpecDocument
{
    private static readonly Lazy<SpecDocument> Shared = new(Load);

    private SpecDocument(string yaml)
    {
        Yaml = yaml;
        Root = YamlJson.Convert(yaml)!.AsObject();
    }

    public static SpecDocument Instance => Shared.Value;

    public string Yaml { get; }
    public JsonObject Root { get; }

    public JsonObject Schemas => Root["components"]!["schemas"]!.AsObject();

    public JsonObject Schema(string name) => Schemas[name]?.AsObject()
        ?? throw new KeyNotFoundException($"No schema '{name}' under components/schemas.");

    /// <summary>The schema a <c>$ref</c> names, or the node itself when it is no reference.</summary>
    public JsonObject Resolve(JsonObject schema) =>
        schema["$ref"]?.GetValue<string>() is { } reference ? Schema(NameOf(reference)) : schema;

    public static string NameOf(string reference) =>
        reference.StartsWith(SchemaPrefix, StringComparison.Ordinal)
            ? reference[SchemaPrefix.Length..]
            : throw new NotSupportedException($"Only local schema references are followed, not '{reference}'.");

    public const string SchemaPrefix = "#/components/schemas/";

    /// <summary>The examples of <c>sources_create</c>'s request body, by name.</summary>
    public IReadOnlyList<(string Name, JsonNode Value)> RequestExamples =>
        Examples(Operation("sources_create")["requestBody"]!["content"]!["application/json"]!);

    /// <summary>The examples of <c>sources_create</c>'s 201 response, by name.</summary>
    public IReadOnlyList<(string Name, JsonNode Value)> ResponseExamples =>
        Examples(Operation("sources_create")["responses"]!["201"]!["content"]!["application/json"]!);

    private JsonNode Operation(string operationId) =>
        Root["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(op => op.Value))
            .Single(op => op is JsonObject o && o["operationId"]?.GetValue<string>() == operationId)!;

    private static List<(string, JsonNode)> Examples(JsonNode media) =>
        media["examples"]!.AsObject().Select(e => (e.Key, e.Value!["value"]!)).ToList();

    private static SpecDocument Load()
    {
        using var stream = typeof(CreateSourceRequest).Assembly.GetManifestResourceStream("sources.openapi.yaml")
            ?? throw new InvalidOperationException("Sources.Contracts does not embed sources.openapi.yaml.");
        using var reader = new StreamReader(stream);
        return new SpecDocument(reader.ReadToEnd());
    }
}
