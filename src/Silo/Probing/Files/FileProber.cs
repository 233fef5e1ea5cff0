using System.Text.Json.Nodes;
using Sources.Silo.Probing.Common;
using Sources.Silo.Probing.DuckDb;
using Sources.Silo.Probing.Http;

namespace Sources.Silo.Probing.Files;

/// <summary>
/// FILE: downloads each of file_urls (http or https, through the network policy), imports them
/// into the source's DuckDB database, one table per file, and discovers tables, columns, types
/// and row counts. One bad file is a warning naming it; the others still import. The import is
/// built aside and swapped in whole, so a failed probe never leaves a half-imported database.
/// Progress (files done, bytes downloaded) goes to the context as the downloads run. The import
/// runs on the context's blocking pool and is interrupted when the probe's token fires.
/// </summary>
public sealed class FileProber(FileDownloader downloader, FileSettings files, DuckDbLimits? duckDb = null, SourceFiles? folders = null) : IProber
{
    private readonly DuckDbLimits _duckDb = duckDb ?? new DuckDbLimits();
    private readonly SourceFiles _folders = folders ?? new SourceFiles(files);

    public const string DatabaseFile = "source.duckdb";

    /// <summary>One probe at a time per folder: a probe abandoned at its deadline may still be running when the source's next one starts.</summary>
    public FolderGates Gates { get; } = new();

    public string Type => "FILE";

    public IReadOnlyList<SettingsProblem> Check(JsonObject settings)
    {
        if (settings["file_urls"] is not JsonArray { Count: > 0 } items)
            return [new("/file_urls", "'file_urls' must list at least one file.")];
        var problems = new List<SettingsProblem>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item)
            {
                problems.Add(new($"/file_urls/{i}", "Each file is an object with 'url' and 'filename'."));
                continue;
            }
            if (HttpUrls.Parse(SettingsFields.Text(item, "url"), $"/file_urls/{i}/url").Problem is { } url)
                problems.Add(url);
            if (FilenameProblem(SettingsFields.Text(item, "filename")) is { } filename)
                problems.Add(new($"/file_urls/{i}/filename", filename));
        }
        return problems;
    }

    /// <summary>
    /// Downloads get time in proportion to what they may bring and the import after them gets the
    /// configured deadline again, but never more than the FILE probe's cap, however many files.
    /// </summary>
    public TimeSpan DeadlineFor(JsonObject settings, TimeSpan configured)
    {
        var count = settings["file_urls"] is JsonArray items ? items.Count : 1;
        var most = Math.Min(files.MaxSourceBytes, count * files.MaxFileBytes);
        var seconds = configured.TotalSeconds * (count + 1) + (double)most / Math.Max(1, files.MinBytesPerSecond);
        return seconds >= files.MaxProbeDuration.TotalSeconds ? files.MaxProbeDuration : TimeSpan.FromSeconds(seconds);
    }

    public async Task<ProbeResult> Probe(JsonObject settings, ProbeContext context, CancellationToken cancellation)
    {
        var folder = SourceFolder(context.SourceId);
        Directory.CreateDirectory(folder);
        using var gate = await Gates.Enter(folder, cancellation);
        RemoveLeftovers(folder);
        var work = Path.Combine(folder, ImportPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(work);
            var allowance = Allowance(context);
            if (files.MaxAccountBytes > 0 && allowance == 0)
                return AccountFull();
            var (local, failures) = await DownloadAll(settings["file_urls"]!.AsArray(), work, allowance, context, cancellation);
            var imported = await context.Blocking.Run(
                token => FileImporter.Import(Path.Combine(work, DatabaseFile), work, local, files, _duckDb, token), cancellation);
            failures.AddRange(imported.Failures);
            if (imported.Tables.Count == 0)
                return failures.Count == 1 ? failures[0] : failures[0] with { Message = failures[0].Message + $" ({failures.Count - 1} more files failed too.)" };
            // Refused when the source was deleted while this probe ran: nothing of it stays behind.
            var built = Path.Combine(work, DatabaseFile);
            var size = new FileInfo(built).Length;
            if (files.MaxAccountBytes > 0 && _folders.HeldByOthers(context.Account, context.SourceId) + size > files.MaxAccountBytes)
                return AccountFull();
            if (!_folders.Place(context.SourceId, built, DatabaseFile))
                return ProbeResult.Failed(ProbeOutcome.NotFound, "The source was deleted while it was checked.");
            _folders.Hold(context.Account, context.SourceId, size);
            var discovery = DiscoveryJson.Start(DiscoveryJson.Files);
            discovery["tables"] = imported.Tables;
            return ProbeResult.Succeeded(null, discovery.ToJsonString(), failures.Select(f => f.Message).ToArray(),
                $"Imported {imported.Tables.Count} of {imported.Tables.Count + failures.Count} files.");
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private const string ImportPrefix = "import-";

    /// <summary>
    /// Import folders of earlier probes that never cleaned up (the process stopped mid-import):
    /// with the folder's gate held, none of them is in use.
    /// </summary>
    private static void RemoveLeftovers(string folder)
    {
        foreach (var leftover in Directory.EnumerateDirectories(folder, ImportPrefix + "*"))
            try { Directory.Delete(leftover, recursive: true); } catch (IOException) { }
    }

    private async Task<(List<FileImporter.Local>, List<ProbeResult>)> DownloadAll(JsonArray items, string work, long allowance, ProbeContext context, CancellationToken cancellation)
    {
        var budget = new FileDownloader.Budget(allowance);
        var local = new List<FileImporter.Local>();
        var failures = new List<ProbeResult>();
        long before = 0; // bytes of the files already done
        context.Report(new ProbeProgress(0, items.Count, 0));
        for (var i = 0; i < items.Count; i++)
        {
            var filename = SettingsFields.Text(items[i]!.AsObject(), "filename")!;
            var url = HttpUrls.Parse(SettingsFields.Text(items[i]!.AsObject(), "url"), "").Url!;
            // Our own name on disk: the user's filename never becomes part of a path or of SQL.
            var path = Path.Combine(work, $"{i}.download");
            var (done, earlier, received) = (i, before, 0L);
            var downloaded = await downloader.Download(url, filename, path, budget, context.Budget, cancellation, bytes =>
            {
                received = bytes;
                context.Report(new ProbeProgress(done, items.Count, earlier + bytes));
            });
            if (downloaded.Failure is { } failure)
                failures.Add(failure);
            else
                local.Add(new FileImporter.Local(filename, path, FileFormats.Detect(filename, Head(path))));
            before += received; // a failed download's bytes were downloaded all the same
            context.Report(new ProbeProgress(i + 1, items.Count, before));
        }
        return (local, failures);
    }

    /// <summary>The source's folder, <c>&lt;data&gt;/files/&lt;source id&gt;/</c>: its own whatever its files.</summary>
    public string SourceFolder(long sourceId) => _folders.Folder(sourceId);

    /// <summary>What this probe may download: the source's own cap, or what its account has left on this node, if less.</summary>
    private long Allowance(ProbeContext context) => files.MaxAccountBytes <= 0
        ? files.MaxSourceBytes
        : Math.Max(0, Math.Min(files.MaxSourceBytes, files.MaxAccountBytes - _folders.HeldByOthers(context.Account, context.SourceId)));

    /// <summary>The refusal of a check that would take the account past what it may keep on this node.</summary>
    private ProbeResult AccountFull() => ProbeResult.Failed(ProbeOutcome.InvalidConfig,
        $"This account's FILE sources would keep more than the {FileDownloader.Size(files.MaxAccountBytes)} they may keep on one node (Sources:Files:MaxAccountBytes); delete some, or ask the operator for more.");

    private static byte[] Head(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[FileFormats.SniffBytes];
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return head[..read];
    }

    private static string? FilenameProblem(string? filename) => filename switch
    {
        null or "" => "'filename' is required.",
        { Length: > 255 } => "'filename' may be at most 255 characters.",
        "." or ".." => "'filename' must name a file.",
        _ when filename.Any(c => c is '/' or '\\' || char.IsControl(c)) => "'filename' must be a plain file name, without a path.",
        _ => null,
    };
}
