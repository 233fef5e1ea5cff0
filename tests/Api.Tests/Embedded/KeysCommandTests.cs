using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Embedded;

/// <summary>
/// The keys command in embedded mode opens the node's database itself (the service stopped): it
/// hosts a node of its own, which no other process, the service included, could call.
/// </summary>
public sealed class KeysCommandTests
{
    [Fact]
    public async Task A_key_made_with_the_service_stopped_works_once_it_starts_again()
    {
        var bootstrap = $"bootstrap-{Guid.NewGuid():N}";
        var node = await ServiceProcess.StartAsync(ServiceConfig.Embedded(bootstrap), "embedded keys");
        try
        {
            await node.StopAsync();
            var key = await KeysCli.CreateAsync(node.Config, "acme");
            await node.StartAsync();

            (await new SourcesClient(node, key, new Transcript()).List()).Expect(200);
        }
        finally
        {
            await node.DisposeAsync();
            Directory.Delete(node.Config.WorkingDirectory, recursive: true);
        }
    }
}
