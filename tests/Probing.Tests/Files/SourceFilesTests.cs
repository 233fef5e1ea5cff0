using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Files;

namespace Sources.Probing.Tests.Files;

/// <summary>
/// A FILE source's data goes with the source: a delete removes its folder, a probe still running
/// (or still waiting to run) when its source is deleted leaves nothing behind, and the import
/// folders of a process that died mid-import are removed at start-up.
/// </summary>
public sealed class SourceFilesTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sources-source-files-" + Guid.NewGuid().ToString("N"));
    private FileHost _host = null!;

    public async Task InitializeAsync() => _host = await FileHost.Start();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private (FileProber Prober, SourceFiles Folders) Prober()
    {
        var files = new FileSettings { Directory = _root };
        var folders = new SourceFiles(files);
        return (new FileProber(new FileDownloader(Probes.Loopback, files, Probes.Settings()), files, folders: folders), folders);
    }

    private JsonObject Settings(params string[] names) => new()
    {
        ["type"] = "FILE",
        ["file_urls"] = new JsonArray(names.Select(n => (JsonNode)new JsonObject { ["url"] = _host.Put(n, SampleFiles.Csv), ["filename"] = n }).ToArray()),
    };

    [Fact]
    public async Task A_delete_removes_the_sources_folder_and_only_its_own()
    {
        var (prober, folders) = Prober();
        await prober.Probe(Settings("orders.csv"), new ProbeContext(7), CancellationToken.None);
        await prober.Probe(Settings("orders.csv"), new ProbeContext(8), CancellationToken.None);
        Assert.True(File.Exists(Path.Combine(folders.Folder(7), FileProber.DatabaseFile)));

        await folders.Delete(7);

        Assert.False(Directory.Exists(folders.Folder(7)));
        Assert.True(File.Exists(Path.Combine(folders.Folder(8), FileProber.DatabaseFile)));
    }

    [Fact]
    public async Task A_probe_that_runs_after_its_source_was_deleted_leaves_no_database()
    {
        // A probe queued before the delete and run after it: it downloads and imports, then may not keep its work.
        var (prober, folders) = Prober();
        await folders.Delete(9);

        var result = await prober.Probe(Settings("orders.csv"), new ProbeContext(9), CancellationToken.None);

        Assert.Equal(ProbeOutcome.NotFound, result.Outcome);
        Assert.False(Directory.Exists(folders.Folder(9)));
    }

    [Fact]
    public async Task A_delete_during_the_downloads_leaves_nothing_once_the_probe_ends()
    {
        var (prober, folders) = Prober();
        // The delete lands on the probe's own thread, between its first and second download.
        var context = new ProbeContext(10, new Synchronous(p =>
        {
            if (p.FilesDone == 1) folders.Remove(10);
        }));

        try
        {
            await prober.Probe(Settings("first.csv", "second.csv"), context, CancellationToken.None);
        }
        catch (IOException)
        {
            // Its folder went from under it; how the probe ends does not matter, what it leaves does.
        }

        Assert.False(Directory.Exists(folders.Folder(10)));
    }

    [Fact]
    public void Interrupted_imports_and_trials_are_removed_and_the_imported_databases_stay()
    {
        var folders = new SourceFiles(new FileSettings { Directory = _root });
        Directory.CreateDirectory(Path.Combine(folders.Folder(11), SourceFiles.ImportPrefix + Guid.NewGuid().ToString("N")));
        File.WriteAllText(Path.Combine(folders.Folder(11), FileProber.DatabaseFile), "imported");
        Directory.CreateDirectory(Path.Combine(folders.Folder(12), SourceFiles.ImportPrefix + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(Path.Combine(_root, "not-a-source", SourceFiles.ImportPrefix + "x"));
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(folders.Folder(-13)).FullName, FileProber.DatabaseFile), "a trial's");

        Assert.Equal(3, folders.RemoveInterruptedImports());

        Assert.Equal([FileProber.DatabaseFile], Directory.GetFileSystemEntries(folders.Folder(11)).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFileSystemEntries(folders.Folder(12)));
        Assert.True(Directory.Exists(Path.Combine(_root, "not-a-source", SourceFiles.ImportPrefix + "x")));
        Assert.False(Directory.Exists(folders.Folder(-13)));
        Assert.Equal([11L, 12L], folders.Held().Order());
    }

    /// <summary>Progress reported on the probe's thread, as it happens (Progress&lt;T&gt; would post it elsewhere).</summary>
    private sealed class Synchronous(Action<ProbeProgress> report) : IProgress<ProbeProgress>
    {
        public void Report(ProbeProgress value) => report(value);
    }
}
