using System.Text.Json.Nodes;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Infrastructure;
using NJsonSchema.Validation;

namespace Sources.Contracts.Tests;

/// <summary>
/// A second, independent reading of the contract: NJsonSchema validating against the spec's own
/// components/schemas (as JSON Schema definitions), rooted at CreateSourceRequest.
/// </summary>
internal sealed class NJsonSchemaOracle
{
    private static readonly Lazy<NJsonSchemaOracle> Shared = new(() => Create(SpecDocument.Instance, "CreateSourceRequest"));
    private readonly JsonSchema _schema;

    private NJsonSchemaOracle(JsonSchema schema) => _schema = schema;

    public static NJsonSchemaOracle Instance => Shared.Value;

    /// <summary>The JSON Schema document: the spec's schemas as definitions, every
    /// <c>#/components/schemas/</c> reference pointed at them, the root a reference to <paramref name="root"/>,
    /// each shape's <c>x-presence-rules</c> written as the standard keywords they are (<see cref="StandardRules"/>).</summary>
    public static JsonObject Document(SpecDocument spec, string root, bool liftRules = true)
    {
        var definitions = Repoint(liftRules ? StandardRules.LiftAll(spec.Schemas) : spec.Schemas.DeepClone())!.AsObject();
        return new JsonObject
        {
            ["$ref"] = "#/definitions/" + root,
            ["definitions"] = definitions,
        };
    }

    public static NJsonSchemaOracle Create(SpecDocument spec, string root, bool liftRules = true)
    {
        var json = Document(spec, root, liftRules).ToJsonString();
        var schema = JsonSchemaSerialization.FromJsonAsync<JsonSchema>(
            json,
            SchemaType.OpenApi3,
            documentPath: null,
            JsonReferenceResolver.CreateJsonReferenceResolverFactory(new DefaultTypeNameGenerator()),
            JsonSchema.CreateJsonSerializerContractResolver(SchemaType.OpenApi3),
            CancellationToken.None).GetAwaiter().GetResult();
        return new NJsonSchemaOracle(schema);
    }

    public JsonSchema Schema => _schema;

    /// <summary>Every error NJsonSchema finds in <paramref name="json"/>, flattened to readable lines.</summary>
    public IReadOnlyList<string> Validate(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        var token = JToken.ReadFrom(reader);
        return _schema.Validate(token, SchemaType.OpenApi3).SelectMany(Flatten).ToList();
    }

    private static IEnumerable<string> Flatten(ValidationError error) => error is ChildSchemaValidationError child
        ? child.Errors.SelectMany(branch => branch.Value.SelectMany(Flatten)).Prepend($"{error.Path}: {error.Kind}")
        : [$"{error.Path}: {error.Kind}"];

    private static JsonNode? Repoint(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    if (value is JsonValue text && text.TryGetValue<string>(out var s) && s.StartsWith(SpecDocument.SchemaPrefix, StringComparison.Ordinal))
                        map[key] = "#/definitions/" + s[SpecDocument.SchemaPrefix.Length..];
                    else
                        Repoint(value);
                }
                break;
            case JsonArray list:
                foreach (var item in list) Repoint(item);
                break;
        }
        return node;
    }
}
