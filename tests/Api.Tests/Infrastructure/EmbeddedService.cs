namespace Sources.Api.Tests.Infrastructure;

/// <summary>One service node in embedded mode (SQLite in a temp folder), with a bootstrap key for account "default".</summary>
public sealed class EmbeddedService : IAsyncLifetime
{
    public string Key { get; } = $"bootstrap-{Guid.NewGuid():N}";
    public Transcript Transcript { get; } = new();
    public ServiceProcess Node { get; private set; } = null!;

    /// <summary>Account "default", through this node.</summary>
    public SourcesClient Client => new(Node, Key, Transcript);

    /// <summary>Account "default" through the client generated from the spec (src/Client).</summary>
    public Sources.Client.SourcesApiClient Typed => TypedClients.For(Node, Key);

    public async Task InitializeAsync() => Node = await ServiceProcess.StartAsync(ServiceConfig.SharedEmbedded(Key), "embedded");

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        Directory.Delete(Node.Config.WorkingDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class EmbeddedCollection : ICollectionFixture<EmbeddedService>
{
    public const string Name = "embedded service";
}
