using OpenTelemetry.Trace;
using Microsoft.Extensions.Logging.Console;
using Sources.Api.Apis;
using Sources.Api.Auth;
using Sources.Api.Operations;
using Sources.Api.Operations.Health;
using Sources.Api.Problems;
using Sources.Api.Requests;
using Sources.Silo.Grains.Keys;
using Sources.Silo.Hosting;

namespace Sources.Api.Extensions;

public static class ServiceSetup
{
    /// <summary>The whole service: a co-hosted silo, the edge's services, limits and logging.</summary>
    public static IHostApplicationBuilder AddSourcesService(this WebApplicationBuilder builder)
    {
        // One command runs the service on http://localhost:8080 unless told otherwise.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls("http://localhost:8080");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes + 1);
        // No scopes: a request's lines name its request id themselves (RequestLogging, ErrorHandling),
        // and formatting the scopes on every request's line was a large share of a get's CPU.
        builder.Logging.AddSimpleConsole(console => { console.IncludeScopes = false; console.SingleLine = true; });
        // Hosting's own request lines duplicate RequestLogging's, and while this category is enabled at
        // any level ASP.NET Core starts an Activity per request only to give those lines a scope.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // The request line of every request goes out in batches (AccessLog), not line by line.
        builder.Services.AddSingleton<ILoggerProvider>(_ => new AccessLog(Console.Out));
        builder.Logging.AddFilter<ConsoleLoggerProvider>(AccessLog.Category, LogLevel.None);

        builder.AddSources();
        if (Telemetry.Enabled(builder.Configuration))
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddAspNetCoreInstrumentation());
        builder.Services.AddValidatedSettings<KeyCacheSettings, KeyCacheSettingsRules>(builder.Configuration, KeyCacheSettingsRules.Section);
        builder.Services.AddApiKeyAuthentication();
        // The scheme's own lines (a refused key, a challenge) would be one per refused request;
        // the request line and its 401 say it already.
        builder.Logging.AddFilter(typeof(ApiKeyAuthentication).FullName, LogLevel.Warning);
        builder.Services.AddValidatedSettings<LimitSettings, LimitSettingsRules>(builder.Configuration, LimitSettings.Section);
        builder.Services.AddSingleton<RequestLimits>();
        builder.Services.AddSingleton<SourceConfigs>();
        builder.Services.AddSourcesHealthChecks();
        builder.Services.AddSourcesProblems();
        builder.Services.AddHostedService<BootstrapKey>();
        return builder;
    }

    public static WebApplication UseSourcesPipeline(this WebApplication app)
    {
        app.UseMiddleware<RequestLogging>();
        app.UseExceptionHandler();
        // The reference page's middleware matches every path it sees with a regular expression, so
        // only requests under /docs pass through it.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/docs"), docs => docs.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.SwaggerEndpoint("/openapi.yaml", "Sources");
        }));
        app.UseStatusCodePages(async context =>
        {
            // Unknown routes and wrong methods answer as problems too.
            var problem = context.HttpContext.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => Problems.Problems.NotFound(),
                StatusCodes.Status405MethodNotAllowed => Problems.Problems.MethodNotAllowed(),
                _ => null,
            };
            if (problem is not null)
                await problem.ExecuteAsync(context.HttpContext);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }
}
