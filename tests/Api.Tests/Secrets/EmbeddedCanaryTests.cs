using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Secrets;

/// <summary>
/// In embedded mode a secret never reaches a response, a log line or the SQLite files in plain.
/// The node is hosted in-process. Its log (<see cref="LogCapture"/>) holds every line logged through
/// the host's logging, request lines included, with the message and exception a child's console and
/// access log write. All else a child writes is the key printed on a first start without one (here
/// a bootstrap key is given), a count of dropped request lines and a refused start's lines.
/// </summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class EmbeddedCanaryTests(InProcessService service)
{
    [Fact]
    public async Task A_canary_in_every_secret_field_appears_in_no_response_log_or_database_file()
    {
        var canary = new Canary();

        await CanaryExercise.PlantEverywhere(service.Client, canary);

        // The scanned log holds the request lines, which a child writes through the access log rather than the console logger.
        Assert.Contains(Sources.Api.Extensions.AccessLog.Category, service.Node.Logs, StringComparison.Ordinal);
        var files = StorageContents.EmbeddedFiles(service.Node.Config);
        Assert.Contains(files.Keys, f => f.EndsWith("sources.db", StringComparison.Ordinal));
        CanaryExercise.AssertFoundNowhere(canary, service.Transcript, [service.Node], files);
    }
}
