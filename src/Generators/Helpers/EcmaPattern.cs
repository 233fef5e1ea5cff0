using System.Text;

namespace Sources.Generators.Helpers;

/// <summary>
/// Turns a spec <c>pattern</c> (ECMA-262, as JSON Schema reads it) into a .NET pattern that matches
/// the same strings. The syntax is alike, the meaning is not everywhere: .NET's <c>$</c> also
/// matches before a final line feed, so "orders.csv\n" passed <c>^[^/\\\x00-\x1f]+$</c>; its
/// <c>\d</c> and <c>\w</c> take any Unicode digit or letter where ECMA-262 takes ASCII; its
/// <c>\s</c> lacks U+FEFF and adds U+0085; its <c>.</c> matches \r, U+2028 and U+2029.
/// A negated shorthand inside a class (<c>[\D]</c>) keeps .NET's meaning.
/// </summary>
public static class EcmaPattern
{
    private const string Digit = "0-9";
    private const string Word = "A-Za-z0-9_";
    private const string Space = @"\t\n\v\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF";

    public static string ToDotNet(string pattern)
    {
        var result = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                result.Append(Shorthand(next, inClass) ?? "\\" + next);
            }
            else if (inClass)
            {
                inClass = c != ']';
                result.Append(c);
            }
            else
            {
                inClass = c == '[';
                result.Append(c switch
                {
                    '$' => @"\z",
                    '.' => @"[^\n\r\u2028\u2029]",
                    _ => c.ToString(),
                });
            }
        }
        return result.ToString();
    }

    private static string? Shorthand(char c, bool inClass) => c switch
    {
        'd' => inClass ? Digit : $"[{Digit}]",
        'w' => inClass ? Word : $"[{Word}]",
        's' => inClass ? Space : $"[{Space}]",
        'D' when !inClass => $"[^{Digit}]",
        'W' when !inClass => $"[^{Word}]",
        'S' when !inClass => $"[^{Space}]",
        _ => null,
    };
}
