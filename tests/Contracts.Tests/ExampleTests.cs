namespace Sources.Contracts.Tests;

/// <summary>Every example the spec shows is something the generated readers (and NJsonSchema) accept.</summary>
[Trait("Speed", "fast")]
public sealed class ExampleTests
{
    public static TheoryData<string> RequestExamples() => [.. SpecDocument.Instance.RequestExamples.Select(e => e.Name)];

    public static TheoryData<string> ResponseExamples() => [.. SpecDocument.Instance.ResponseExamples.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(RequestExamples))]
    public void Request_example_is_accepted_by_the_generated_reader(string name)
    {
        var example = SpecDocument.Instance.RequestExamples.Single(e => e.Name == name).Value;

        var result = CreateSourceRequest.Parse(Json.Utf8(example));

        Assert.True(result.IsValid, Json.Describe(result.Errors));
        Assert.Equal(example["type"]!.GetValue<string>().ToUpperInvariant(), result.Value!.Type);
    }

    [Theory]
    [MemberData(nameof(RequestExamples))]
    public void Request_example_is_accepted_by_NJsonSchema(string name)
    {
        var example = SpecDocument.Instance.RequestExamples.Single(e => e.Name == name).Value;

        Assert.Empty(NJsonSchemaOracle.Instance.Validate(Json.Text(Json.FoldType(example))));
    }

    [Fact]
    public void Request_examples_show_every_shape()
    {
        var shown = SpecDocument.Instance.RequestExamples
            .Select(e => e.Value["type"]!.GetValue<string>().ToUpperInvariant())
            .ToHashSet();

        Assert.Equal(CreateSourceRequest.Discriminators.ToHashSet(), shown);
    }

    [Theory]
    [MemberData(nameof(ResponseExamples))]
    public void Response_example_parses(string name)
    {
        var example = SpecDocument.Instance.ResponseExamples.Single(e => e.Name == name).Value;

        var result = CreateSourceResponse.Parse(Json.Utf8(example));

        Assert.True(result.IsValid, Json.Describe(result.Errors));
        Assert.Equal(example["id"]!.GetValue<long>(), result.Value!.Id);
        Assert.Equal(example["public_key_sql"]?.GetValue<string>(), result.Value.PublicKeySql);
    }
}
