using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Sources.Silo.Grains.Keys;
using Sources.Silo.Scheduling;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Hosting;

/// <summary>
/// Metrics and traces over OTLP when an operator names an endpoint the standard way
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or the signal's own <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> /
/// <c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c>, as environment variables or configuration keys of
/// the same names, and the other <c>OTEL_*</c> settings the exporter reads), and nothing at all
/// otherwise: no exporter, no listener, so no span is even made. See docs/telemetry.md.
/// </summary>
public static class Telemetry
{
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string TracesEndpointSetting = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string MetricsEndpointSetting = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";

    public static readonly string[] Meters =
    [
        ProbeMetrics.MeterName,
        StorageMetrics.MeterName,
        KeyMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "Microsoft.Orleans",
        "Npgsql",
    ];

    /// <summary>Our own spans and Orleans' (grain calls, activations); HttpClient's and Npgsql's come with their instrumentation.</summary>
    public static readonly string[] ActivitySources =
    [
        ProbeTracing.SourceName,
        Orleans.Diagnostics.ActivitySources.AllActivitySourceName,
    ];

    /// <summary>Whether an OTLP endpoint is configured for any signal.</summary>
    public static bool Enabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[EndpointSetting])
        || !string.IsNullOrWhiteSpace(configuration[TracesEndpointSetting])
        || !string.IsNullOrWhiteSpace(configuration[MetricsEndpointSetting]);

    public static IHostApplicationBuilder AddSourcesTelemetry(this IHostApplicationBuilder builder)
    {
        if (!Enabled(builder.Configuration))
            return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("sources"))
            .WithMetrics(metrics => metrics.AddMeter(Meters))
            .WithTracing(tracing => tracing
                .AddSource(ActivitySources)
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddProcessor(new SecretTags()))
            .UseOtlpExporter();
        return builder;
    }
}
