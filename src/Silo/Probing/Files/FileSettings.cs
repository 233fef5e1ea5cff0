using Microsoft.Extensions.Configuration;

namespace Sources.Silo.Probing.Files;

/// <summary>"Sources:Files": where FILE sources are downloaded and imported, and how much and how long they may take.</summary>
public sealed class FileSettings
{
    /// <summary>Where each source's folder lives; defaults to "files" in the data directory.</summary>
    public string? Directory { get; set; }

    public long MaxFileBytes { get; set; } = 1L << 30;

    public long MaxSourceBytes { get; set; } = 10L << 30;

    /// <summary>
    /// What one account's FILE sources may keep on one node's disk together (their imported
    /// databases), so no account can fill a node's disk for the others; 0 turns it off.
    /// </summary>
    public long MaxAccountBytes { get; set; } = 50L << 30;

    /// <summary>
    /// The slowest transfer a download is allowed, measured over <see cref="RateWindow"/>: a
    /// server that trickles below it fails as a timeout. Each file also gets the probe deadline
    /// plus its size at this rate, so big files get the time they need and no more.
    /// </summary>
    public long MinBytesPerSecond { get; set; } = 64L << 10;

    /// <summary>The sliding window the transfer rate is measured over (also the grace before the first measurement).</summary>
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest a download may wait for its response headers or for its next byte.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The hard cap on one FILE probe, every download and the import together, however many files it lists.</summary>
    public TimeSpan MaxProbeDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A workbook sheet may hold at most this many cells (rows × columns, the header row included).</summary>
    public long MaxXlsxCells { get; set; } = 10_000_000;

    /// <summary>Each part of a workbook (a zip entry: a sheet's XML, the shared strings) may unpack to at most this many bytes.</summary>
    public long MaxXlsxEntryBytes { get; set; } = 1L << 30;

    /// <summary>A workbook sheet may have at most this many columns.</summary>
    public int MaxXlsxColumns { get; set; } = 1_000;

    public int MaxRedirects { get; set; } = 5;

    /// <summary>How often each node removes the folders of sources that no longer exist (see <see cref="SourceFilesSweep"/>).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether this node sweeps its folders at all; the CLI's short-lived node does not touch them.</summary>
    public bool Sweep { get; set; } = true;

    /// <summary>The "Sources:Files" section, its folder defaulting to "files" in the data directory.</summary>
    public static FileSettings From(IConfiguration configuration, string dataDirectory)
    {
        var files = Hosting.ValidatedSettings.Read<FileSettings>(configuration, FileSettingsRules.Section);
        files.Directory ??= Path.Combine(dataDirectory, "files");
        return files;
    }

    /// <summary>The longest a download of <paramref name="bytes"/> may take, never past the probe's cap.</summary>
    public TimeSpan DeadlineFor(long bytes, TimeSpan probeDeadline)
    {
        var seconds = probeDeadline.TotalSeconds + (double)bytes / Math.Max(1, MinBytesPerSecond);
        return seconds >= MaxProbeDuration.TotalSeconds ? MaxProbeDuration : TimeSpan.FromSeconds(seconds);
    }
}
