namespace Sources.Api.Responses;

/// <summary>
/// Whether stored JSON text can be written out verbatim: true only when writing it through a
/// <c>JsonElement</c> would give back the very same text, so answers stay byte for byte what
/// they were. The stored JSON comes from <c>JsonNode.ToJsonString()</c>, whose default encoder
/// escapes everything outside printable ASCII and the HTML-sensitive characters; text holding no
/// escape at all and no whitespace between tokens is then already what any of our writers give.
/// Anything else (an escape, a non-ASCII character, indentation) is parsed and rewritten as before.
/// </summary>
internal static class CompactJson
{
    public static bool IsVerbatim(string json)
    {
        var inString = false;
        foreach (var c in json)
        {
            if (c is < '!' or > '~')
            {
                // A space is content inside a string, formatting outside; all else here would be escaped.
                if (c == ' ' && inString) continue;
                return false;
            }
            switch (c)
            {
                case '"':
                    // With no backslash anywhere, every quote opens or closes a string.
                    inString = !inString;
                    break;
                case '\\' or '<' or '>' or '&' or '\'' or '+' or '`':
                    return false;
            }
        }
        return !inString;
    }
}
