using Sources.Api.Problems;

namespace Sources.Api.Operations;

/// <summary>Liveness, readiness, the contract itself and its rendered reference.</summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperations(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", Ready);
        app.MapGet("/openapi.yaml", Spec);
        return app;
    }

    private static async Task<IResult> Ready(StorageCheck storage, CancellationToken cancellation) =>
        await storage.IsReachable(cancellation) ? Results.Text("ready") : Problems.Problems.Unavailable(5);

    private static IResult Spec()
    {
        var stream = typeof(Sources.Contracts.SchemaError).Assembly.GetManifestResourceStream("sources.openapi.yaml")!;
        return Results.Stream(stream, "application/yaml");
    }
}
