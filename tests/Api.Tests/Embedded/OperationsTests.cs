using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Embedded;

/// <summary>The operator's endpoints, open without a key: liveness, readiness, the contract and its rendered reference.</summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class OperationsTests(InProcessService service)
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_endpoints_answer_200(string path) =>
        (await service.Client.WithKey(null).Send(HttpMethod.Get, path)).Expect(200);

    [Fact]
    public async Task The_contract_is_served_as_the_spec()
    {
        var spec = (await service.Client.WithKey(null).Send(HttpMethod.Get, "/openapi.yaml")).Expect(200);
        Assert.Contains("openapi: 3.0.3", spec.Text, StringComparison.Ordinal);
        Assert.Contains("sources_create", spec.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/docs/")]
    [InlineData("/docs/index.html")]
    public async Task The_reference_page_is_served_under_docs(string path)
    {
        var page = (await service.Client.WithKey(null).Send(HttpMethod.Get, path)).Expect(200);
        Assert.StartsWith("text/html", page.ContentType, StringComparison.Ordinal);
        Assert.Contains("/openapi.yaml", (await service.Client.WithKey(null).Send(HttpMethod.Get, "/docs/index.js")).Expect(200).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_file_under_docs_is_a_404_problem() =>
        (await service.Client.WithKey(null).Send(HttpMethod.Get, "/docs/no-such-file.js")).Problem(404);
}
