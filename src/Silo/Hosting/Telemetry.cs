using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Sources.Silo.Scheduling;

namespace Sources.Silo.Hosting;

/// <summary>
/// Metrics over OTLP when an operator names an endpoint the standard way
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, and the other <c>OTEL_*</c> settings the exporter reads:
/// protocol, headers, export interval), and nothing at all otherwise: no exporter, no collection.
/// What is exported: Sources' own meter (probes by type, lane and outcome, their duration, what is
/// in flight, waiting and draining, the sweep's lag) and the platform's (ASP.NET Core, HttpClient,
/// Orleans, Npgsql). See docs/telemetry.md.
/// </summary>
public static class Telemetry
{
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static readonly string[] Meters =
    [
        ProbeMetrics.MeterName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "Microsoft.Orleans",
        "Npgsql",
    ];

    public static IHostApplicationBuilder AddSourcesTelemetry(this IHostApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointSetting]))
            return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("sources"))
            .WithMetrics(metrics => metrics.AddMeter(Meters))
            .UseOtlpExporter();
        return builder;
    }
}
