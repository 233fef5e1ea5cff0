using Sources.Api.Operations.Health;

namespace Sources.Api.Operations;

/// <summary>Liveness, readiness, the contract itself and its rendered reference.</summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        app.MapHealthEndpoints();
        app.MapGet("/openapi.yaml", Spec);
        return app;
    }

    private static IResult Spec()
    {
        var stream = typeof(Sources.Contracts.SchemaError).Assembly.GetManifestResourceStream("sources.openapi.yaml")!;
        return Results.Stream(stream, "application/yaml");
    }
}
