using System.Text.Json.Nodes;
using static Sources.Contracts.Tests.Requests;

namespace Sources.Contracts.Tests;

/// <summary>
/// Rules across fields live in <c>x-presence-rules</c> so client generators see plain objects.
/// JSON Schema validators do not read an extension, so the differential oracle is given them as
/// standard keywords (<see cref="StandardRules"/>); these tests hold that step to account: without
/// it NJsonSchema would accept every body that breaks a rule, with it NJsonSchema refuses each one
/// as the generated reader does.
/// </summary>
[Trait("Speed", "fast")]
public sealed class PresenceRuleTests
{
    private static readonly string[] Composites = ["anyOf", "oneOf", "allOf", "not"];

    /// <summary>A body breaking each rule of each shape that has rules, and what the reader answers.</summary>
    public static TheoryData<string, string> Breaks() => new()
    {
        { Json.Text(Example("postgres").Without("hostname", "username", "database_name")), "any_of" },
        { Json.Text(Example("postgres").Without("username")), "any_of" },
        { Json.Text(Example("mssql").Without("database_name")), "any_of" },
        { Json.Text(Example("snowflake_password").With("public_key", "MIIBIjANBgkqh")), "not" },
        { Json.Text(Example("snowflake_key_pair").With("private_key_passphrase", "secret")), "any_of" },
    };

    [Fact]
    public void No_object_schema_writes_rules_across_fields_as_its_own_keywords()
    {
        var objects = SpecDocument.Instance.Schemas
            .Where(s => s.Value!["discriminator"] is null)
            .Select(s => (s.Key, Schema: s.Value!.AsObject()));

        foreach (var (name, schema) in objects)
            Assert.True(!Composites.Any(k => schema.ContainsKey(k)),
                $"'{name}' has {string.Join(", ", Composites.Where(schema.ContainsKey))} at object level; write it under {StandardRules.Extension}, which generated clients can type");
    }

    [Fact]
    public void The_shapes_with_rules_keep_them_in_the_extension()
    {
        var withRules = SpecDocument.Instance.Schemas.Where(s => s.Value![StandardRules.Extension] is not null).Select(s => s.Key).Order();

        Assert.Equal(["MSSQLConnectionRequest", "PostgresConnectionRequest", "SnowflakeConnectionRequest"], withRules);
    }

    [Fact]
    public void NJsonSchema_is_given_every_rule_as_the_standard_keyword_it_is()
    {
        var definitions = NJsonSchemaOracle.Document(SpecDocument.Instance, "CreateSourceRequest")["definitions"]!.AsObject();

        foreach (var (name, node) in SpecDocument.Instance.Schemas)
        {
            if (node![StandardRules.Extension] is not JsonObject rules) continue;
            var lifted = definitions[name]!.AsObject();
            Assert.False(lifted.ContainsKey(StandardRules.Extension));
            foreach (var (keyword, rule) in rules)
                Assert.True(JsonNode.DeepEquals(rule, lifted[keyword]), $"{name}: {keyword} is not given to NJsonSchema as written");
        }
    }

    [Theory]
    [MemberData(nameof(Breaks))]
    public void Each_broken_rule_is_refused_by_the_reader_and_by_NJsonSchema_only_when_given_the_rule(string json, string code)
    {
        var body = Json.FoldType(JsonNode.Parse(json));

        Single(Read(json), "", code);
        Assert.NotEmpty(NJsonSchemaOracle.Instance.Validate(Json.Text(body)));
        Assert.Empty(Unlifted.Value.Validate(Json.Text(body)));
    }

    private static readonly Lazy<NJsonSchemaOracle> Unlifted =
        new(() => NJsonSchemaOracle.Create(SpecDocument.Instance, "CreateSourceRequest", liftRules: false));
}
