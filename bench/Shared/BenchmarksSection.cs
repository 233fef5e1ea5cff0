using System.Globalization;

namespace Sources.Bench;

/// <summary>
/// A harness's own section of BENCHMARKS.md: its block stands between markers under the heading,
/// so a rerun replaces that harness's numbers and nothing else of the file.
/// </summary>
internal sealed class BenchmarksSection(string harness, string heading)
{
    public string Heading { get; } = heading;
    private string Begin { get; } = $"<!-- bench/{harness}: begin (written by the harness; rerun it to refresh) -->";
    private string End { get; } = $"<!-- bench/{harness}: end -->";

    /// <summary>Writes the block into <paramref name="output"/>, or BENCHMARKS.md at the repository root when null, and says so.</summary>
    public void Write(string? output, string block)
    {
        var file = output is not null ? Path.GetFullPath(output) : Path.Combine(Harness.RepositoryRoot(), "BENCHMARKS.md");
        WriteInto(file, block);
        Console.WriteLine($"Written to {file}, section \"{Heading[3..]}\".");
    }

    /// <summary>Puts the block in the section, replacing the harness's earlier block; writes nothing else of the file anew.</summary>
    public void WriteInto(string path, string block)
    {
        var marked = $"{Begin}\n{block.TrimEnd()}\n{End}";
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (begin >= 0 && end > begin)
            text = text[..begin] + marked + text[(end + End.Length)..];
        else if (text.IndexOf(Heading, StringComparison.Ordinal) is var at and >= 0)
            text = text.Insert(at + Heading.Length, "\n\n" + marked + "\n");
        else
            text = text.TrimEnd() + "\n\n" + Heading + "\n\n" + marked + "\n";
        File.WriteAllText(path, text);
    }

    /// <summary>The first line of every block: how to reproduce the run, how long it took, when and on which code.</summary>
    public static string Reproduce(string command, TimeSpan took, DateTime startedUtc, string source) =>
        $"Reproduce: `{command}` (Release; the whole run took {took.TotalMinutes:0.0} min). Measured {startedUtc:yyyy-MM-dd HH:mm} UTC on {source}.";

    /// <summary>A number for a table cell, invariant; a dash where there is none (NaN).</summary>
    public static string F(double value, string format) =>
        double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);
}
