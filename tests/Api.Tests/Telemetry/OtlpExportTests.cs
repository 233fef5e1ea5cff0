using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sources.Api.Tests.Infrastructure;
using Sources.TestServers;

namespace Sources.Api.Tests.Telemetry;

/// <summary>
/// With an OTLP endpoint named the standard way, a node exports its metrics and traces there,
/// Sources' own among them, and no secret of a source; a collector here is a loopback HTTP server
/// that keeps what it is sent (OTLP over HTTP: protobuf, whose strings are searched as bytes).
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<byte[]> _exports = new();
    private readonly ConcurrentQueue<byte[]> _traces = new();
    private WebApplication _collector = null!;
    private ServiceProcess _node = null!;
    private readonly string _key = $"bootstrap-{Guid.NewGuid():N}";
    private ServiceConfig _config = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _collector = builder.Build();
        _collector.MapPost("/v1/metrics", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            _exports.Enqueue(body.ToArray());
            return Results.Ok();
        });
        _collector.MapPost("/v1/traces", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            _traces.Enqueue(body.ToArray());
            return Results.Ok();
        });
        await _collector.StartAsync();
        _config = ServiceConfig.Embedded(_key) with
        {
            Settings = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Urls.First(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
            },
        };
        _node = await ServiceProcess.StartAsync(_config, "otlp");
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _collector.DisposeAsync();
        Directory.Delete(_config.WorkingDirectory, recursive: true);
    }

    [Fact]
    public async Task A_probe_shows_in_the_metrics_the_node_exports()
    {
        var api = new SourcesClient(_node, _key, new Transcript());
        var id = await api.CreateOk(new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = FreePort.Next(),
            ["username"] = "u", ["password"] = "otlp-canary-7Hq", ["database_name"] = "d",
        });
        await api.WhenChecked(id);

        // The counter of ended probes, tagged with the outcome this one had.
        var export = await Poll.Until(() => _exports.FirstOrDefault(b => Contains(b, "sources.probe.duration") && Contains(b, "unreachable")),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), "an export with the probe's outcome");
        Assert.True(Contains(export, "sources.probes"));
        // The create's insert went through a group commit; the checks' gets verified the key from its lease.
        await Poll.Until(() => _exports.FirstOrDefault(b => Contains(b, "sources.storage.commit.batch_size") && Contains(b, "sources.keys.verifications") && Contains(b, "lease")),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), "an export with the storage and key meters");

        // The probe's span, with its type and outcome, and the request's and the grain call's spans.
        var probeSpans = await Poll.Until(() => _traces.FirstOrDefault(b => Contains(b, "Sources.Probing") && Contains(b, "sources.probe.outcome")),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), "a trace export with the probe's span");
        Assert.True(Contains(probeSpans, "sources.probe.type") && Contains(probeSpans, "POSTGRES") && Contains(probeSpans, "unreachable"));
        await Poll.Until(() => _traces.FirstOrDefault(b => Contains(b, "Microsoft.AspNetCore") && Contains(b, "/api/v1/sources")),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), "a trace export with a request's span");
        await Poll.Until(() => _traces.FirstOrDefault(b => Contains(b, "Microsoft.Orleans")),
            TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), "a trace export with a grain call's span");

        Assert.DoesNotContain(_exports.Concat(_traces), b => Contains(b, "otlp-canary-7Hq") || Contains(b, _key));
    }

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
