using System.Collections.Concurrent;
using System.Globalization;

namespace Sources.Silo.Probing.Files;

/// <summary>
/// The FILE sources' folders on this node, <c>&lt;files&gt;/&lt;source id&gt;/</c>: where a probe puts
/// the database it built, and what a delete removes. A deleted source leaves a tombstone here for a
/// day, so that a probe still running (or still queued) when its source was deleted cannot put its
/// database back afterwards; whatever still slips past (a probe on another node, or one that ran
/// longer than the tombstone lasts) is found by <see cref="SourceFilesSweep"/>.
/// </summary>
public sealed class SourceFiles(FileSettings files, TimeProvider? time = null)
{
    /// <summary>Where a probe builds its import, inside the source's folder; left behind only when a process dies mid-import.</summary>
    public const string ImportPrefix = "import-";

    /// <summary>How long a delete is remembered: longer than any FILE probe may run.</summary>
    public static readonly TimeSpan TombstoneAge = TimeSpan.FromDays(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Deleted sources and when: a placement for one of them is refused.</summary>
    private readonly ConcurrentDictionary<long, DateTimeOffset> _deleted = new();

    /// <summary>
    /// A delete and a placement of one source exclude each other, so a placement either lands
    /// before the delete (and is deleted with the folder) or sees the tombstone. Striped, so a long
    /// delete holds up only the sources that share its stripe.
    /// </summary>
    private readonly Lock[] _stripes = Enumerable.Range(0, 64).Select(_ => new Lock()).ToArray();

    /// <summary>What each account's sources keep on this node, as their placed databases' sizes, learnt as probes place them.</summary>
    private readonly Dictionary<long, (string Account, long Bytes)> _held = new();

    /// <summary>The sum of <see cref="_held"/> per account, kept with it under <see cref="_heldLock"/>, so a probe's question costs no scan.</summary>
    private readonly Dictionary<string, long> _heldByAccount = new(StringComparer.Ordinal);

    private readonly Lock _heldLock = new();

    /// <summary>What the account's other sources keep on this node.</summary>
    public long HeldByOthers(string account, long sourceId)
    {
        lock (_heldLock)
        {
            var all = _heldByAccount.GetValueOrDefault(account);
            return _held.TryGetValue(sourceId, out var own) && own.Account == account ? all - own.Bytes : all;
        }
    }

    /// <summary>Records what the source now keeps on this node.</summary>
    public void Hold(string account, long sourceId, long bytes)
    {
        lock (_heldLock)
        {
            Release(sourceId);
            _held[sourceId] = (account, bytes);
            _heldByAccount[account] = _heldByAccount.GetValueOrDefault(account) + bytes;
        }
    }

    /// <summary>Forgets what the source kept; under <see cref="_heldLock"/>.</summary>
    private void Release(long sourceId)
    {
        if (!_held.Remove(sourceId, out var held)) return;
        var left = _heldByAccount[held.Account] - held.Bytes;
        if (left == 0) _heldByAccount.Remove(held.Account);
        else _heldByAccount[held.Account] = left;
    }

    /// <summary>The folder that holds every source's folder.</summary>
    public string Root => Path.GetFullPath(files.Directory ?? Path.Combine("data", "files"));

    /// <summary>The source's folder: its own whatever its files.</summary>
    public string Folder(long sourceId) => Path.Combine(Root, sourceId.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Moves a database a probe built into the source's folder, replacing the one there; false (and
    /// the folder removed, with whatever the probe left in it) when the source has been deleted.
    /// </summary>
    public bool Place(long sourceId, string built, string fileName)
    {
        var folder = Folder(sourceId);
        lock (Stripe(sourceId))
        {
            if (!_deleted.ContainsKey(sourceId))
            {
                File.Move(built, Path.Combine(folder, fileName), overwrite: true);
                return true;
            }
            RemoveFolder(folder);
            return false;
        }
    }

    /// <summary>
    /// Removes the source's data from this node, off the caller's thread; a placement after it is
    /// refused. A folder the node cannot remove now (a disk error) is left to the sweep, which
    /// tries again and says so in the log, rather than failing the delete of a source already gone.
    /// </summary>
    public Task Delete(long sourceId) => Task.Run(() =>
    {
        try
        {
            Remove(sourceId);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    });

    /// <summary>The same, on the caller's thread, failing when the folder cannot be removed.</summary>
    public void Remove(long sourceId)
    {
        lock (Stripe(sourceId))
        {
            _deleted[sourceId] = _time.GetUtcNow();
            lock (_heldLock)
                Release(sourceId);
            RemoveFolder(Folder(sourceId));
        }
    }

    /// <summary>Whether the source was deleted on this node within <see cref="TombstoneAge"/>.</summary>
    public bool WasDeleted(long sourceId) => _deleted.ContainsKey(sourceId);

    /// <summary>Forgets deletes older than <see cref="TombstoneAge"/>; the sweep still finds their folders if they come back.</summary>
    public void ForgetOldDeletes()
    {
        var before = _time.GetUtcNow() - TombstoneAge;
        foreach (var (id, at) in _deleted)
            if (at < before)
                _deleted.TryRemove(new KeyValuePair<long, DateTimeOffset>(id, at));
    }

    /// <summary>
    /// The ids of the folders on this node: sources' and, negative, trials' (the test before a
    /// create probes under an id of its own). Anything else under <see cref="Root"/> is not ours and stays.
    /// </summary>
    public IReadOnlyList<long> Held()
    {
        if (!Directory.Exists(Root)) return [];
        return Directory.EnumerateDirectories(Root)
            .Select(path => long.TryParse(Path.GetFileName(path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
                && Path.GetFileName(path) == id.ToString(CultureInfo.InvariantCulture) ? id : (long?)null)
            .OfType<long>()
            .ToList();
    }

    /// <summary>
    /// Removes every import folder under every source's folder, and every trial's folder: only for
    /// a node that runs no probe yet (at start-up), where each of them was left by a probe the
    /// process did not live to finish.
    /// </summary>
    public int RemoveInterruptedImports()
    {
        var removed = 0;
        foreach (var id in Held())
        {
            var work = id < 0 ? [Folder(id)] : Directory.EnumerateDirectories(Folder(id), ImportPrefix + "*").ToList();
            foreach (var folder in work)
            {
                RemoveFolder(folder);
                removed++;
            }
        }
        return removed;
    }

    /// <summary>When the folder's entries last changed (an import started, a database moved in).</summary>
    public DateTimeOffset LastChanged(long id) => Directory.GetLastWriteTimeUtc(Folder(id));

    private Lock Stripe(long sourceId) => _stripes[(int)((ulong)sourceId % (ulong)_stripes.Length)];

    private static void RemoveFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
