using System.Linq;
using System.Text;

namespace Sources.Generators.Helpers;

/// <summary>How spec names become C# names and literals.</summary>
public static class Names
{
    public static string Pascal(string jsonName)
    {
        var result = new StringBuilder(jsonName.Length);
        var upper = true;
        foreach (var c in jsonName)
        {
            if (!char.IsLetterOrDigit(c)) { upper = true; continue; }
            result.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        if (result.Length == 0 || char.IsDigit(result[0]))
            result.Insert(0, '_');
        return result.ToString();
    }

    public static string Literal(string value)
    {
        var result = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': result.Append("\\\""); break;
                case '\\': result.Append("\\\\"); break;
                case '\n': result.Append("\\n"); break;
                case '\r': result.Append("\\r"); break;
                case '\t': result.Append("\\t"); break;
                default:
                    if (c < ' ') result.Append("\\u").Append(((int)c).ToString("x4"));
                    else result.Append(c);
                    break;
            }
        }
        return result.Append('"').ToString();
    }

    public static string Utf8Literal(string value) => Literal(value) + "u8";

    public static string LiteralArray(System.Collections.Generic.IEnumerable<string> values) =>
        "[" + string.Join(", ", values.Select(Literal)) + "]";

    /// <summary>"a", "a or b", "a, b or c": for messages that list names.</summary>
    public static string Listing(System.Collections.Generic.IReadOnlyList<string> names, string conjunction)
    {
        if (names.Count == 1) return names[0];
        return string.Join(", ", names.Take(names.Count - 1)) + " " + conjunction + " " + names[names.Count - 1];
    }
}
