using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// The service hosted in the test process (WebApplicationFactory over its own Program), configured
/// as <see cref="EmbeddedService"/>'s child: embedded mode in a temp folder of its own, a bootstrap
/// key for account "default", the same suite settings. Requests go through the in-memory test
/// server, not a socket; the co-hosted silo still listens on free loopback ports and stops
/// gracefully when the fixture is disposed. For tests that need only HTTP answers: a restart, a
/// crash, a second node or the console's own lines still need <see cref="ServiceProcess"/>.
/// </summary>
public sealed class InProcessService : IAsyncLifetime
{
    public string Key { get; } = $"bootstrap-{Guid.NewGuid():N}";
    public Transcript Transcript { get; } = new();
    public InProcessNode Node { get; private set; } = null!;

    /// <summary>Account "default", through this node.</summary>
    public SourcesClient Client => new(Node, Key, Transcript);

    /// <summary>Account "default" through the client generated from the spec (src/Client).</summary>
    public Sources.Client.SourcesApiClient Typed => TypedClients.For(Node, Key);

    public async Task InitializeAsync()
    {
        Node = new InProcessNode(ServiceConfig.SharedEmbedded(Key), "in-process");
        await Node.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(Node.Config.WorkingDirectory, recursive: true);
    }
}

/// <summary>One node hosted in-process; see <see cref="InProcessService"/>.</summary>
public sealed class InProcessNode(ServiceConfig config, string name) : IServiceNode, IAsyncDisposable
{
    private readonly LogCapture _logs = new();
    private Factory? _factory;
    private HttpClient? _http;

    public ServiceConfig Config => config;
    public string Name => name;
    public Ports Ports { get; } = Ports.Fresh();
    public Uri BaseAddress => new("http://localhost/");
    public HttpClient Http => _http ?? throw new InvalidOperationException($"{name} is not started.");
    public string Logs => _logs.Text;

    public HttpClient NewHttpClient()
    {
        var client = Started.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = BaseAddress });
        client.Timeout = TimeSpan.FromSeconds(100);
        return client;
    }

    /// <summary>Builds the host and starts it (the silo joins before the first request is served).</summary>
    public Task StartAsync()
    {
        _factory = new Factory(config, Ports, _logs);
        _http = NewHttpClient();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_factory is not null)
            await _factory.DisposeAsync();
    }

    private Factory Started => _factory ?? throw new InvalidOperationException($"{name} is not started.");

    private sealed class Factory(ServiceConfig config, Ports ports, LogCapture logs) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // As the child: its working directory as content root, the production environment, and
            // the operator's environment variables as the same settings (Sources__X__Y is Sources:X:Y).
            builder.UseContentRoot(config.WorkingDirectory);
            builder.UseEnvironment("Production");
            foreach (var (name, value) in config.Environment(ports))
                builder.UseSetting(name.Replace("__", ":", StringComparison.Ordinal), value);
            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        }
    }
}

/// <summary>The in-process classes share one host, as the child-process classes share <see cref="EmbeddedCollection"/>'s.</summary>
[CollectionDefinition(Name)]
public sealed class InProcessCollection : ICollectionFixture<InProcessService>
{
    public const string Name = "in-process service";
}
