using System.Text.Json.Nodes;
using static Sources.Contracts.Tests.Requests;

namespace Sources.Contracts.Tests;

/// <summary>What a valid read yields: defaults filled in, and a writer that keeps secrets back unless asked.</summary>
[Trait("Speed", "fast")]
public sealed class OutputTests
{
    /// <summary>Every (example, property) where the property has a default in the spec.</summary>
    public static TheoryData<string, string> Defaulted()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, example) in SpecDocument.Instance.RequestExamples)
            foreach (var property in DefaultsOf(Shape(example)).Keys)
                data.Add(name, property);
        return data;
    }

    [Theory]
    [MemberData(nameof(Defaulted))]
    public void Absent_property_takes_the_spec_default(string example, string property)
    {
        var body = Example(example).Without(property);

        var value = Read(body).Value!;

        Assert.NotNull(value);
        var written = Written(value, includeWriteOnly: true);
        Assert.Equal(Json.Text(DefaultsOf(Shape(body))[property]), Json.Text(written[property]));
        Assert.False(IsSet(value, property));
    }

    [Fact]
    public void Postgres_defaults_port_and_account_name_from_the_spec()
    {
        var defaults = DefaultsOf("PostgresConnectionRequest");

        var value = Valid<PostgresConnectionRequest>(Read(Example("postgres").Without("port", "account_name")));

        Assert.Equal(defaults["port"]!.GetValue<int>(), value.Port);
        Assert.Equal(defaults["account_name"]!.GetValue<string>(), value.AccountName);
        Assert.True(value.IsSet("hostname"));
    }

    [Fact]
    public void File_source_is_named_after_its_first_file_unless_named()
    {
        var body = Example("file");
        var files = body["file_urls"]!.AsArray();
        files.Add(new JsonObject { ["url"] = "https://files.example.com/second.csv", ["filename"] = "second.csv" });

        var unnamed = Valid<FileUploadConnectionRequest>(Read(body.DeepClone()));
        var named = Valid<FileUploadConnectionRequest>(Read(body.With("account_name", "Orders")));

        Assert.Equal(files[0]!["filename"]!.GetValue<string>(), unnamed.AccountName);
        Assert.False(unnamed.IsSet("account_name"));
        Assert.Equal("Orders", named.AccountName);
    }

    [Fact]
    public void Write_only_properties_of_each_shape_are_those_the_spec_marks()
    {
        foreach (var (shape, schema) in SchemaFacts.Shapes(SpecDocument.Instance, "CreateSourceRequest"))
            Assert.Equal(SpecWriteOnly(schema), CreateSourceRequest.WriteOnlyPropertiesFor(shape).ToHashSet());
    }

    [Fact]
    public void Locating_properties_of_each_shape_are_those_the_spec_marks()
    {
        foreach (var (shape, schema) in SchemaFacts.Shapes(SpecDocument.Instance, "CreateSourceRequest"))
            Assert.Equal(SpecMarked(schema, "x-locates-source"), CreateSourceRequest.LocatingPropertiesFor(shape).ToHashSet());
        Assert.Empty(CreateSourceRequest.LocatingPropertiesFor("NO_SUCH_TYPE"));
    }

    /// <summary>
    /// A safety net under the marks: a property that names a place (a host, a port, a URL, an
    /// account, a user, a connection string, or holds a URI somewhere inside it) is marked, so
    /// a new shape cannot forget one and let a patch move its secrets.
    /// </summary>
    [Fact]
    public void Every_property_that_names_a_place_or_an_identity_is_marked_as_locating()
    {
        string[] placeNames = ["host", "hostname", "port", "base_url", "account", "user", "username", "connection_string", "file_urls"];
        var checkedAny = 0;
        foreach (var (shape, schema) in SchemaFacts.Shapes(SpecDocument.Instance, "CreateSourceRequest"))
        {
            var marked = CreateSourceRequest.LocatingPropertiesFor(shape);
            foreach (var (name, property) in SpecDocument.Instance.Schema(schema)["properties"]!.AsObject())
            {
                if (!placeNames.Contains(name) && !HoldsUri(property!)) continue;
                checkedAny++;
                Assert.True(marked.Contains(name), $"{shape}.{name} names where a probe goes or as whom; mark it x-locates-source");
            }
        }
        Assert.True(checkedAny >= 20, $"only {checkedAny} properties checked");
    }

    /// <summary>Whether a URI is anywhere inside the property: its own format, its items', or those of the schemas it references.</summary>
    private static bool HoldsUri(JsonNode node, int depth = 0)
    {
        if (depth > 8 || node is not JsonObject schema) return false;
        if (schema["format"]?.GetValue<string>() == "uri") return true;
        if (schema["$ref"]?.GetValue<string>() is { } reference)
            return HoldsUri(SpecDocument.Instance.Schema(reference.Split('/')[^1]), depth + 1);
        return schema.Where(p => p.Key is "items" or "properties" or "oneOf" or "anyOf" or "allOf")
            .Any(p => p.Value switch
            {
                JsonArray list => list.Any(item => HoldsUri(item!, depth + 1)),
                JsonObject inner when p.Key == "properties" => inner.Any(item => HoldsUri(item.Value!, depth + 1)),
                JsonObject inner => HoldsUri(inner, depth + 1),
                _ => false,
            });
    }

    [Fact]
    public void Writer_keeps_secrets_back_unless_asked_and_round_trips_every_accepted_payload()
    {
        var accepted = 0;
        foreach (var payload in Corpus.Payloads.Concat(SpecDocument.Instance.RequestExamples.Select(e => new Payload("", e.Name, Json.Text(e.Value)))))
        {
            var value = CreateSourceRequest.Parse(Json.Utf8(payload.Json)).Value;
            if (value is null) continue;
            accepted++;
            var secrets = SpecWriteOnly(Shape(JsonNode.Parse(payload.Json)!));
            var input = JsonNode.Parse(payload.Json)!.AsObject();

            var open = Written(value, includeWriteOnly: false);
            var sealedForm = Written(value, includeWriteOnly: true);

            Assert.True(!open.Any(p => secrets.Contains(p.Key)), $"{payload.Label}: {Json.Text(open)}");
            Assert.All(secrets.Where(input.ContainsKey), s => Assert.True(sealedForm.ContainsKey(s), $"{payload.Label}: {s} not written"));
            var again = CreateSourceRequest.Parse(Json.Utf8(sealedForm));
            Assert.True(again.IsValid, $"{payload.Label}: {Json.Describe(again.Errors)}");
            Assert.Equal(Json.Text(sealedForm), Json.Text(Written(again.Value!, includeWriteOnly: true)));
        }
        Assert.True(accepted > 500, $"only {accepted} accepted payloads");
    }

    private static JsonObject Written(IJsonWritable value, bool includeWriteOnly) =>
        JsonNode.Parse(JsonOutput.ToUtf8(value, includeWriteOnly))!.AsObject();

    private static bool IsSet(object value, string property) =>
        (bool)value.GetType().GetMethod("IsSet")!.Invoke(value, [property])!;

    private static string Shape(JsonNode body)
    {
        var type = body["type"]!.GetValue<string>().ToUpperInvariant();
        return SchemaFacts.Shapes(SpecDocument.Instance, "CreateSourceRequest").Single(s => s.Value == type).Schema;
    }

    private static Dictionary<string, JsonNode> DefaultsOf(string schema) =>
        SpecDocument.Instance.Schema(schema)["properties"]!.AsObject()
            .Where(p => p.Value!["default"] is not null)
            .ToDictionary(p => p.Key, p => p.Value!["default"]!.DeepClone());

    private static HashSet<string> SpecMarked(string schema, string keyword) =>
        SpecDocument.Instance.Schema(schema)["properties"]!.AsObject()
            .Where(p => SchemaFacts.Flag(p.Value!.AsObject(), keyword))
            .Select(p => p.Key)
            .ToHashSet();

    private static HashSet<string> SpecWriteOnly(string schema) =>
        SpecDocument.Instance.Schema(schema)["properties"]!.AsObject()
            .Where(p => SchemaFacts.Flag(p.Value!.AsObject(), "writeOnly"))
            .Select(p => p.Key)
            .ToHashSet();
}
