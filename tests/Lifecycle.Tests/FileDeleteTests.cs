using System.Text;
using System.Text.Json;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Files;

namespace Sources.Lifecycle.Tests;

/// <summary>Deleting a FILE source through its grain removes what it downloaded and imported from the node's disk.</summary>
public sealed class FileDeleteTests
{
    [Fact]
    public async Task Deleting_a_file_source_removes_its_folder()
    {
        var data = Directory.CreateTempSubdirectory("sources-file-delete-").FullName;
        await using var files = FileProgressTests.HeldFileServer.Start(Encoding.UTF8.GetBytes("id\n1\n"), heldAfter: 0);
        files.Release();
        await using (var silo = await SiloHost.Start(data, deadline: TimeSpan.FromSeconds(30)))
        {
            const long id = 3101;
            var settings = JsonSerializer.Serialize(new
            {
                type = "FILE",
                account_name = "first.csv",
                file_urls = new[] { new { url = $"{files.BaseUrl}/first.csv", filename = "first.csv" } },
            });
            var grain = silo.Grains.GetGrain<IConnectionGrain>(id);
            await grain.Register(SiloHost.Account, new SourceConfig("FILE", "first.csv", settings, [], []));
            var done = await silo.WaitFor(id, r => r.LastProbe is not null, "the probe's result recorded");
            Assert.Equal(ProbeOutcome.Ok, done.LastProbe!.Outcome);
            var folder = Path.Combine(data, "files", id.ToString());
            Assert.True(File.Exists(Path.Combine(folder, FileProber.DatabaseFile)));

            Assert.Equal(ChangeOutcome.Done, await grain.Delete(SiloHost.Account));

            Assert.False(Directory.Exists(folder));
        }
        Directory.Delete(data, recursive: true);
    }
}
