using System.Text;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// The listing's name search (<c>q</c>): a case-insensitive substring of the display name. Both the
/// stored name and the search are folded here, by one rule, rather than by each engine's own
/// (SQLite folds ASCII letters only), so both engines find the same sources.
/// </summary>
public static class SourceSearch
{
    /// <summary>The longest search a listing takes: a display name is at most 255 characters.</summary>
    public const int MaxLength = 255;

    public static string Fold(string name) => name.ToLowerInvariant();

    /// <summary>A LIKE pattern matching names that contain <paramref name="search"/>, with <c>\</c> escaping the wildcards.</summary>
    public static string Pattern(string search)
    {
        var pattern = new StringBuilder("%", search.Length + 8);
        foreach (var c in Fold(search))
        {
            if (c is '%' or '_' or '\\') pattern.Append('\\');
            pattern.Append(c);
        }
        return pattern.Append('%').ToString();
    }

    /// <summary>
    /// An expiry in Unix milliseconds, rounded up: the listing compares it with a whole-millisecond
    /// now, and for such a now "expires ≤ now" holds exactly when it holds for the rounded-up value.
    /// </summary>
    public static long ExpiryMilliseconds(DateTimeOffset expires)
    {
        var milliseconds = expires.ToUnixTimeMilliseconds();
        return expires > DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) ? milliseconds + 1 : milliseconds;
    }
}
