using System.Text;
using System.Text.Json;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Files;
using Sources.TestServers;

namespace Sources.Lifecycle.Tests;

/// <summary>
/// Deleting a FILE source through its grain removes what it downloaded and imported from the
/// node's disk; a node that starts removes the imports a dead process left and the folders of
/// sources that no longer exist.
/// </summary>
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
            var grain = silo.Grains.GetGrain<ISourceGrain>(id);
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

    [Fact]
    public async Task A_starting_node_removes_interrupted_imports_and_the_folders_of_deleted_sources()
    {
        var data = Directory.CreateTempSubdirectory("sources-file-sweep-").FullName;
        var files = Path.Combine(data, "files");
        const long kept = 3202, deleted = 3201;
        await using (var silo = await SiloHost.Start(data))
            await silo.Grains.GetGrain<ISourceGrain>(kept).Register(SiloHost.Account, silo.Postgres(kept, FreePort.Next(), "u", "p", "d"));
        // Left by a process that died: an import in progress beside an imported database, and the folder of a source that is gone.
        var interrupted = Directory.CreateDirectory(Path.Combine(files, kept.ToString(), SourceFiles.ImportPrefix + Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllText(Path.Combine(interrupted, "0.download"), "id\n1\n");
        File.WriteAllText(Path.Combine(files, kept.ToString(), FileProber.DatabaseFile), "imported");
        Directory.CreateDirectory(Path.Combine(files, deleted.ToString()));
        File.WriteAllText(Path.Combine(files, deleted.ToString(), FileProber.DatabaseFile), "left by a deleted source");

        await using (var silo = await SiloHost.Start(data))
        {
            // Interrupted imports go before the node takes calls; the orphan goes with the first sweep, just after.
            Assert.False(Directory.Exists(interrupted));
            await Poll.Until(() => Directory.Exists(Path.Combine(files, deleted.ToString())) ? null : "gone",
                TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30), "the deleted source's folder removed");
            Assert.True(File.Exists(Path.Combine(files, kept.ToString(), FileProber.DatabaseFile)));
        }
        Directory.Delete(data, recursive: true);
    }
}
