using System.Reflection;
using System.Text.Json.Serialization;

namespace Sources.Generators.Tests;

/// <summary>
/// Changing the spec changes the contract: a field added to a shape is read and its enum
/// enforced, and a tightened limit rejects what the original accepted, proven by loading
/// both generated assemblies and calling their <c>CreateSourceRequest.Parse</c>.
/// </summary>
[Trait("Speed", "fast")]
public sealed class ContractEvolutionTests(ContractVersions versions) : IClassFixture<ContractVersions>
{
    private const string Postgres = """{"type":"postgres","connection_string":"Host=db.example.com"%EXTRA%}""";

    [Fact]
    public void The_added_field_becomes_a_property_named_for_json()
    {
        var property = versions.Evolved.Type("PostgresConnectionRequest").GetProperty("Sslmode");

        Assert.NotNull(property);
        Assert.Equal(typeof(string), Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType);
        Assert.Equal("sslmode", property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name);
        Assert.Null(versions.Original.Type("PostgresConnectionRequest").GetProperty("Sslmode"));
    }

    [Fact]
    public void The_added_field_is_read()
    {
        var outcome = versions.Evolved.Parse(Body(""","sslmode":"verify-full" """));

        Assert.True(outcome.IsValid, string.Join("; ", outcome.Errors));
        Assert.Equal("PostgresConnectionRequest", outcome.Value!.GetType().Name);
        Assert.Equal("verify-full", outcome.Property("Sslmode"));
    }

    [Fact]
    public void The_added_fields_enum_is_enforced()
    {
        var outcome = versions.Evolved.Parse(Body(""","sslmode":"sometimes" """));

        Assert.False(outcome.IsValid);
        Assert.Equal([("/sslmode", "enum")], outcome.Errors);
    }

    [Fact]
    public void The_original_contract_refuses_the_field_it_does_not_have()
    {
        var outcome = versions.Original.Parse(Body(""","sslmode":"require" """));

        Assert.False(outcome.IsValid);
        Assert.Equal([("/sslmode", "unknown_field")], outcome.Errors);
    }

    [Fact]
    public void A_sixty_character_name_the_original_accepts_is_refused_by_the_tighter_limit()
    {
        var body = Body($""","account_name":"{new string('n', 60)}" """);

        var original = versions.Original.Parse(body);
        Assert.True(original.IsValid, string.Join("; ", original.Errors));
        Assert.Equal(new string('n', 60), original.Property("AccountName"));

        var evolved = versions.Evolved.Parse(body);
        Assert.False(evolved.IsValid);
        Assert.Equal([("/account_name", "max_length")], evolved.Errors);
    }

    [Fact]
    public void A_name_at_the_tighter_limit_is_still_accepted()
    {
        var outcome = versions.Evolved.Parse(Body($""","account_name":"{new string('n', 50)}" """));

        Assert.True(outcome.IsValid, string.Join("; ", outcome.Errors));
    }

    private static string Body(string extra) => Postgres.Replace("%EXTRA%", extra.TrimEnd());
}
