using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Secrets;

/// <summary>In embedded mode a secret never reaches a response, a log line or the SQLite files in plain.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class EmbeddedCanaryTests(EmbeddedService service)
{
    [Fact]
    public async Task A_canary_in_every_secret_field_appears_in_no_response_log_or_database_file()
    {
        var canary = new Canary();

        await CanaryExercise.PlantEverywhere(service.Client, canary);

        var files = StorageContents.EmbeddedFiles(service.Node.Config);
        Assert.Contains(files.Keys, f => f.EndsWith("sources.db", StringComparison.Ordinal));
        CanaryExercise.AssertFoundNowhere(canary, service.Transcript, [service.Node], files);
    }
}
