using Microsoft.Extensions.Configuration;

namespace Sources.Silo.Probing.Files;

/// <summary>"Sources:Files": where FILE sources are downloaded and imported, and how much they may bring.</summary>
public sealed class FileSettings
{
    /// <summary>Where each source's folder lives; defaults to "files" in the data directory.</summary>
    public string? Directory { get; set; }

    public long MaxFileBytes { get; set; } = 1L << 30;

    public long MaxSourceBytes { get; set; } = 10L << 30;

    /// <summary>
    /// The slowest transfer a download is allowed: each file gets the probe deadline plus its
    /// size at this rate, so big files get the time they need and a stalled server does not.
    /// </summary>
    public long MinBytesPerSecond { get; set; } = 1L << 20;

    public int MaxRedirects { get; set; } = 5;

    /// <summary>The "Sources:Files" section, its folder defaulting to "files" in the data directory.</summary>
    public static FileSettings From(IConfiguration configuration, string dataDirectory)
    {
        var files = configuration.GetSection("Sources:Files").Get<FileSettings>() ?? new FileSettings();
        files.Directory ??= Path.Combine(dataDirectory, "files");
        return files;
    }

    /// <summary>The longest a download of <paramref name="bytes"/> may take.</summary>
    public TimeSpan DeadlineFor(long bytes, TimeSpan probeDeadline) =>
        probeDeadline + TimeSpan.FromSeconds((double)bytes / Math.Max(1, MinBytesPerSecond));
}
