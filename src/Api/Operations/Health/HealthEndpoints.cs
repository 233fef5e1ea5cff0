using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sources.Silo.Storage;

namespace Sources.Api.Operations.Health;

/// <summary>
/// <c>/healthz</c> (live: the process answers; no check runs) and <c>/readyz</c> (ready: the silo is
/// up, storage answers, the probe scheduler is not wedged), through ASP.NET Core's health checks.
/// The answers are the contract's: <c>ok</c> and <c>ready</c> as text, a 503 problem otherwise.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";

    public static IServiceCollection AddSourcesHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<StorageReachability>();
        services.AddHealthChecks()
            .AddCheck<SiloStartedCheck>("silo", tags: [Ready])
            .AddCheck<StorageAnswersCheck>("storage", tags: [Ready])
            .AddCheck<ProbingProgressCheck>("probing", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", Options(_ => false, (http, _) => Text(http, "ok"))).WithMetadata(new HttpMethodMetadata(["GET"]));
        app.MapHealthChecks("/readyz", Options(check => check.Tags.Contains(Ready), WriteReadiness)).WithMetadata(new HttpMethodMetadata(["GET"]));
        return app;
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> checks, Func<HttpContext, HealthReport, Task> write) => new()
    {
        Predicate = checks,
        ResponseWriter = write,
        // The answers carry their own headers (a problem's Retry-After); the middleware adds none.
        AllowCachingResponses = true,
    };

    private static Task WriteReadiness(HttpContext http, HealthReport report)
    {
        if (report.Status == HealthStatus.Healthy)
            return Text(http, "ready");
        // Storage first: the contract's "unavailable" problem names it; the others say what is not ready.
        var failed = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => e.Key).ToHashSet();
        var problem = failed.Contains("storage") ? Problems.Problems.Unavailable(5)
            : Problems.Problems.NotReady(string.Join(" ", report.Entries.Where(e => failed.Contains(e.Key)).Select(e => e.Value.Description)), 5);
        return problem.ExecuteAsync(http);
    }

    private static Task Text(HttpContext http, string text) => Results.Text(text).ExecuteAsync(http);
}
