using System.Text;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Sources.Contracts.Tests;

/// <summary>The contract is a valid OpenAPI 3.0 document, by validators that are not ours.</summary>
[Trait("Speed", "fast")]
public sealed class SpecValidityTests
{
    [Fact]
    public async Task MicrosoftOpenApi_reads_the_spec_without_errors_or_warnings()
    {
        var (document, diagnostic) = await Load();

        Assert.NotNull(diagnostic);
        Assert.True(diagnostic.Errors.Count == 0, Describe("reader errors", diagnostic.Errors));
        Assert.True(diagnostic.Warnings.Count == 0, Describe("reader warnings", diagnostic.Warnings));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_0, diagnostic.SpecificationVersion);
        Assert.NotNull(document);
        Assert.Equal(SpecDocument.Instance.Schemas.Count, document.Components!.Schemas!.Count);
    }

    [Fact]
    public async Task MicrosoftOpenApi_default_rule_set_finds_nothing()
    {
        var (document, _) = await Load();

        var validator = new OpenApiValidator(ValidationRuleSet.GetDefaultRuleSet());
        new OpenApiWalker(validator).Walk(document!);

        Assert.True(!validator.Errors.Any(), Describe("validation errors", validator.Errors));
        Assert.True(!validator.Warnings.Any(), Describe("validation warnings", validator.Warnings));
    }

    [Fact]
    public void NJsonSchema_loads_every_schema_with_its_references_resolved()
    {
        var schema = NJsonSchemaOracle.Instance.Schema.ActualSchema;

        var branches = schema.OneOf.Select(b => b.ActualSchema).ToList();
        Assert.Equal(SpecDocument.Instance.Schema("CreateSourceRequest")["oneOf"]!.AsArray().Count, branches.Count);
        Assert.All(branches, b => Assert.True(b.Properties.ContainsKey("type")));
        Assert.Equal(SpecDocument.Instance.Schemas.Count, NJsonSchemaOracle.Instance.Schema.Definitions.Count);
        Assert.All(NJsonSchemaOracle.Instance.Schema.Definitions, d => Assert.False(d.Value.HasReference && d.Value.Reference is null));
    }

    private static async Task<(OpenApiDocument? Document, OpenApiDiagnostic? Diagnostic)> Load()
    {
        var settings = new OpenApiReaderSettings();
        settings.AddYamlReader();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(SpecDocument.Instance.Yaml));
        var result = await OpenApiDocument.LoadAsync(stream, "yaml", settings);
        return (result.Document, result.Diagnostic);
    }

    private static string Describe(string what, IEnumerable<OpenApiError> errors) =>
        what + ":\n" + string.Join("\n", errors.Select(e => $"{e.Pointer}: {e.Message}"));
}
