using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sources.Silo.Probing.Files;
using Sources.Silo.Storage;
using Sources.Silo.Storage.Sources;
using Sources.Silo.Tests.Storage;

namespace Sources.Silo.Tests.Files;

/// <summary>
/// Each node's sweep of its FILE folders against the sources table: the folders of sources that
/// no longer exist go (on a cluster node, the copies it made of sources deleted on another node),
/// the folders of sources that exist stay; a trial's folder goes once no trial could still be using it.
/// </summary>
public sealed class SourceFilesSweepTests : IAsyncLifetime
{
    private readonly TestDatabase _database = TestDatabase.Embedded();
    private readonly string _root = Directory.CreateTempSubdirectory("sources-sweep-").FullName;
    private SourceStore _store = null!;

    public async Task InitializeAsync()
    {
        await new SchemaMigrator(_database.Options).MigrateAsync();
        _store = new SourceStore(_database.Options);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Folders_of_sources_the_table_no_longer_has_are_removed_and_the_others_stay()
    {
        var settings = new FileSettings { Directory = _root };
        var folders = new SourceFiles(settings);
        await _store.Insert(new SourceRow(1, "acme", "FILE", [1], DateTimeOffset.UnixEpoch,
            new SourceColumns("pending", null, "orders.csv", "orders.csv", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null)));
        foreach (var id in new long[] { 1, 2, 3 })
        {
            Directory.CreateDirectory(folders.Folder(id));
            File.WriteAllText(Path.Combine(folders.Folder(id), FileProber.DatabaseFile), "imported");
        }
        Directory.CreateDirectory(Path.Combine(_root, "lost+found"));
        // Trials' folders (the test before a create): one that may still be in use, one left over.
        Directory.CreateDirectory(folders.Folder(-4));
        Directory.CreateDirectory(folders.Folder(-5));
        var clock = new FakeTimeProvider(folders.LastChanged(-5) + SourceFilesSweep.TrialAge(settings) - TimeSpan.FromMinutes(1));
        Directory.SetLastWriteTimeUtc(folders.Folder(-5), (clock.GetUtcNow() - SourceFilesSweep.TrialAge(settings) - TimeSpan.FromMinutes(1)).UtcDateTime);
        var sweep = new SourceFilesSweep(folders, _store, settings, clock, NullLogger<SourceFilesSweep>.Instance);

        Assert.Equal(3, await sweep.RemoveOrphans());

        Assert.True(File.Exists(Path.Combine(folders.Folder(1), FileProber.DatabaseFile)));
        Assert.False(Directory.Exists(folders.Folder(2)));
        Assert.False(Directory.Exists(folders.Folder(3)));
        Assert.True(Directory.Exists(Path.Combine(_root, "lost+found")));
        Assert.True(Directory.Exists(folders.Folder(-4)));
        Assert.False(Directory.Exists(folders.Folder(-5)));
        // A probe of a swept source that was still running cannot put its database back.
        Assert.True(folders.WasDeleted(2));
    }
}
