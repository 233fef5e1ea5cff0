using System.Text;

namespace Sources.Silo.Probing.Files;

/// <summary>Table names from filenames: lower-case letters, digits and '_', not starting with a digit, unique within a source.</summary>
public sealed class TableNames
{
    private const int MaxLength = 63;
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public string For(string filename)
    {
        var stem = Path.GetFileNameWithoutExtension(filename).ToLowerInvariant();
        var name = new StringBuilder();
        foreach (var c in stem)
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        var clean = name.ToString().Trim('_');
        if (clean.Length == 0) clean = "file";
        if (char.IsAsciiDigit(clean[0])) clean = "t_" + clean;
        if (clean.Length > MaxLength) clean = clean[..MaxLength];
        var unique = clean;
        for (var i = 2; !_taken.Add(unique); i++)
            unique = clean[..Math.Min(clean.Length, MaxLength - 1 - i.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)] + "_" + i;
        return unique;
    }
}
