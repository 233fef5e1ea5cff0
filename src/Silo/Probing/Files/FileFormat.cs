using System.Text;

namespace Sources.Silo.Probing.Files;

public enum FileFormat { Unknown, Csv, Tsv, Parquet, Json, Ndjson, Xlsx, Sqlite }

/// <summary>
/// A file's format from its content first and its name second: binary formats announce
/// themselves in their first bytes whatever the file is called, and text is told apart by its
/// extension, or else by what its first line looks like.
/// </summary>
public static class FileFormats
{
    public const int SniffBytes = 4096;

    public static FileFormat Detect(string filename, ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("PAR1"u8)) return FileFormat.Parquet;
        if (head.StartsWith("SQLite format 3\0"u8)) return FileFormat.Sqlite;
        if (head.StartsWith("PK\u0003\u0004"u8)) return FileFormat.Xlsx;

        var extension = Path.GetExtension(filename).ToLowerInvariant();
        var text = Encoding.UTF8.GetString(head.StartsWith("\uFEFF"u8) ? head[3..] : head).TrimStart();
        var first = text.Length > 0 ? text[0] : '\0';
        return extension switch
        {
            ".csv" => FileFormat.Csv,
            ".tsv" or ".tab" => FileFormat.Tsv,
            ".ndjson" or ".jsonl" => FileFormat.Ndjson,
            ".json" => first == '{' && LooksLineDelimited(text) ? FileFormat.Ndjson : FileFormat.Json,
            ".parquet" or ".xlsx" or ".sqlite" or ".sqlite3" or ".db" => FileFormat.Unknown, // the named binary format did not show its signature
            _ when first == '[' => FileFormat.Json,
            _ when first == '{' => LooksLineDelimited(text) ? FileFormat.Ndjson : FileFormat.Json,
            _ when IsText(head) => FirstLine(text).Count(c => c == '\t') > FirstLine(text).Count(c => c == ',') ? FileFormat.Tsv : FileFormat.Csv,
            _ => FileFormat.Unknown,
        };
    }

    /// <summary>A second line that starts an object of its own: one JSON document per line.</summary>
    private static bool LooksLineDelimited(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 && lines[0].EndsWith('}') && lines[1].StartsWith('{');
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0];

    private static bool IsText(ReadOnlySpan<byte> head) => head.Length > 0 && !head.Contains((byte)0);
}
