using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Sources.Generators.Model;
using Sources.Generators.Parsing;
using Sources.Generators.Tests.Harness;

namespace Sources.Generators.Tests;

/// <summary>
/// In a project that sets SourcesClientNamespace the generator emits the client of the spec's
/// operations (src/Client) and none of the contract; each operation of the real spec becomes a
/// method with its parameters, its body type and its success status.
/// </summary>
[Trait("Speed", "fast")]
public sealed class ClientGenerationTests
{
    private static readonly ClientModel Real = OperationParser.Parse(Specs.RealPath, Specs.Real, "Sources.Client", "Sources.Contracts");

    [Fact]
    public void Every_operation_of_the_real_spec_becomes_a_method()
    {
        Assert.Empty(Real.Diagnostics);
        var ids = System.Text.RegularExpressions.Regex.Matches(Specs.Real, @"operationId:\s*(\w+)").Select(m => m.Groups[1].Value).Order();

        Assert.Equal(ids, Real.Operations.Select(o => o.OperationId).Order());
        Assert.Equal("SourcesApiClient", Real.ClassName);
    }

    [Theory]
    [InlineData("sources_create", "post", "/api/v1/sources/", 201, "CreateSourceRequest", BodyKind.Union, "CreateSourceResponse")]
    [InlineData("sources_test_settings", "post", "/api/v1/sources/test/", 200, "CreateSourceRequest", BodyKind.Union, "ProbeResult")]
    [InlineData("sources_partial_update", "patch", "/api/v1/sources/{id}/", 200, "SourcePatch", BodyKind.FreeForm, "SourceView")]
    [InlineData("sources_snowflake_key_pair", "post", "/api/v1/sources/snowflake/key-pairs/", 201, "SnowflakeKeyPairRequest", BodyKind.Object, "SnowflakeKeyPairResponse")]
    [InlineData("sources_destroy", "delete", "/api/v1/sources/{id}/", 204, null, null, null)]
    public void An_operation_has_its_route_body_and_success(string id, string method, string path, int status, string? body, BodyKind? kind, string? answer)
    {
        var operation = Real.Operations.Single(o => o.OperationId == id);

        Assert.Equal((method, path, status), (operation.HttpMethod, operation.Path, operation.SuccessStatus));
        Assert.Equal(body, operation.Body?.SchemaName);
        Assert.Equal(kind, operation.Body?.Kind);
        Assert.Equal(answer, operation.Answer?.SchemaName);
    }

    [Fact]
    public void Parameters_come_from_the_path_item_and_the_operation()
    {
        var retrieve = Real.Operations.Single(o => o.OperationId == "sources_retrieve");
        var list = Real.Operations.Single(o => o.OperationId == "sources_list");
        var create = Real.Operations.Single(o => o.OperationId == "sources_create");

        var id = Assert.Single(retrieve.Parameters);
        Assert.Equal(("id", "path", true, true, true), (id.JsonName, id.In, id.Required, id.IsInteger, id.IsLong));
        Assert.Equal(["limit", "cursor", "type", "status", "q"], list.Parameters.Select(p => p.JsonName));
        Assert.All(list.Parameters, p => Assert.Equal(("query", false), (p.In, p.Required)));
        var key = Assert.Single(create.Parameters);
        Assert.Equal(("Idempotency-Key", "idempotencyKey", "header"), (key.JsonName, key.CSharpName, key.In));
        Assert.True(create.BodyRequired);
    }

    [Fact]
    public void A_client_project_gets_the_client_and_none_of_the_contract()
    {
        var driver = CSharpGeneratorDriver.Create(
            generators: [new SourcesGenerator().AsSourceGenerator()],
            additionalTexts: [new InMemoryAdditionalText(Specs.RealPath, Specs.Real)],
            parseOptions: GeneratorHarness.ParseOptions,
            optionsProvider: new ClientOptions());

        var result = Assert.Single(driver.RunGenerators(GeneratorHarness.Compilation("Sources.Client")).GetRunResult().Results);

        Assert.Empty(result.Diagnostics);
        var source = Assert.Single(result.GeneratedSources);
        Assert.Equal("SourcesApiClient.g.cs", source.HintName);
        var text = source.SourceText.ToString();
        Assert.Contains("public async Task<ApiAnswer<global::Sources.Contracts.CreateSourceResponse>> SourcesCreateAsync(global::Sources.Contracts.ICreateSourceRequest body, string? idempotencyKey = null, CancellationToken cancellation = default)", text);
        Assert.Contains("public async Task<ApiAnswer> SourcesDestroyAsync(long id, CancellationToken cancellation = default)", text);
    }

    private sealed class ClientOptions : AnalyzerConfigOptionsProvider
    {
        private static readonly Options Global = new(ImmutableDictionary<string, string>.Empty
            .Add("build_property.SourcesClientNamespace", "Sources.Client")
            .Add("build_property.SourcesContractsNamespace", "Sources.Contracts"));

        public override AnalyzerConfigOptions GlobalOptions => Global;
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(ImmutableDictionary<string, string>.Empty);

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
