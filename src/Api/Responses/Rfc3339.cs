namespace Sources.Api.Responses;

/// <summary>
/// The one time format of every answer, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> in UTC, written digit by
/// digit: a get formats up to two dozen of these, and a custom format string is parsed on each call.
/// </summary>
public static class Rfc3339
{
    private const int Length = 24;

    public static string Format(DateTimeOffset time) => string.Create(Length, time.UtcDateTime, static (text, utc) =>
    {
        Digits(text[..4], utc.Year);
        text[4] = '-';
        Digits(text.Slice(5, 2), utc.Month);
        text[7] = '-';
        Digits(text.Slice(8, 2), utc.Day);
        text[10] = 'T';
        Digits(text.Slice(11, 2), utc.Hour);
        text[13] = ':';
        Digits(text.Slice(14, 2), utc.Minute);
        text[16] = ':';
        Digits(text.Slice(17, 2), utc.Second);
        text[19] = '.';
        // Truncated, as the "fff" specifier does.
        Digits(text.Slice(20, 3), utc.Millisecond);
        text[23] = 'Z';
    });

    private static void Digits(Span<char> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--, value /= 10)
            into[i] = (char)('0' + value % 10);
    }
}
