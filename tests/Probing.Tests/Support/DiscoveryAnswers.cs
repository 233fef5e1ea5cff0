using System.Text.Json.Nodes;
using Sources.Contracts.Tests;
using Sources.Silo.Probing;

namespace Sources.Probing.Tests.Support;

/// <summary>
/// Reads a probe's discovery the way a client of the spec does: every discovery is first
/// validated against the spec's <c>Discovery</c> schema by the contract tests' independent oracle
/// (NJsonSchema), then read with the generated reader.
/// </summary>
public static class DiscoveryAnswers
{
    private static readonly Lazy<NJsonSchema.JsonSchema> Oracle = new(Load);

    /// <summary>
    /// The contract tests' JSON Schema document rooted at Discovery, without the discriminator's
    /// mapping (the branches' one-value <c>kind</c> enums already say which branch a value takes).
    /// </summary>
    private static NJsonSchema.JsonSchema Load()
    {
        var document = NJsonSchemaOracle.Document(SpecDocument.Instance, "Discovery");
        document["definitions"]!["Discovery"]!["discriminator"]!.AsObject().Remove("mapping");
        // NJsonSchema resolves a root that is a bare reference only to a definition nothing else refers to.
        document.Remove("$ref");
        document["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/definitions/Discovery" });
        return NJsonSchema.Infrastructure.JsonSchemaSerialization.FromJsonAsync<NJsonSchema.JsonSchema>(
            document.ToJsonString(), NJsonSchema.SchemaType.OpenApi3, documentPath: null,
            NJsonSchema.JsonReferenceResolver.CreateJsonReferenceResolverFactory(new NJsonSchema.DefaultTypeNameGenerator()),
            NJsonSchema.JsonSchema.CreateJsonSerializerContractResolver(NJsonSchema.SchemaType.OpenApi3), CancellationToken.None).GetAwaiter().GetResult();
    }

    private static IReadOnlyList<string> Validate(string json)
    {
        using var reader = new Newtonsoft.Json.JsonTextReader(new StringReader(json)) { DateParseHandling = Newtonsoft.Json.DateParseHandling.None };
        return Oracle.Value.Validate(Newtonsoft.Json.Linq.JToken.ReadFrom(reader), NJsonSchema.SchemaType.OpenApi3).Select(e => $"{e.Path}: {e.Kind}").ToList();
    }

    /// <summary>The discovery, after asserting that the spec accepts it as it is.</summary>
    public static T Read<T>(ProbeResult result) where T : class, Sources.Contracts.IDiscovery
    {
        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        var json = Assert.IsType<string>(result.DiscoveryJson);
        Assert.Empty(Validate(json));
        var read = Sources.Contracts.Discovery.Parse(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.True(read.IsValid, string.Join("; ", read.Errors.Select(e => $"{e.Pointer} {e.Message}")));
        Assert.StartsWith("{\"kind\":", json);
        return Assert.IsType<T>(read.Value);
    }

    /// <summary>Every spec error in <paramref name="json"/> as a discovery: what the oracle finds.</summary>
    public static IReadOnlyList<string> Errors(string json) => Validate(json);

    /// <summary>The table named <paramref name="name"/>, with its columns as (name, type, nullable, primary key).</summary>
    public static List<(string Name, string Type, bool Nullable, bool PrimaryKey)> Columns(Sources.Contracts.RelationalDiscovery discovery, string name) =>
        discovery.Tables.Single(t => t.Name == name).Columns.Select(c => (c.Name, c.Type, c.Nullable, c.PrimaryKey)).ToList();

    public static JsonObject Parse(ProbeResult result) => JsonNode.Parse(result.DiscoveryJson!)!.AsObject();
}
