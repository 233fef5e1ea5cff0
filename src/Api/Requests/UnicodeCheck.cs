using System.Text.Json;
using Sources.Contracts;

namespace Sources.Api.Requests;

/// <summary>
/// Finds the first name or string of a JSON body that is not Unicode text (bytes that are not
/// UTF-8, or an escaped lone surrogate) and names it by JSON Pointer. Every JSON route asks this
/// before it reads the body, so text that cannot be stored or shown as it was sent is refused
/// the same way everywhere, rather than stored with replacement characters or failing later.
/// Malformed JSON is left to the reader that judges the body.
/// </summary>
public static class UnicodeCheck
{
    public static SchemaError? Problem(byte[] body)
    {
        if (System.Text.Unicode.Utf8.IsValid(body) && body.AsSpan().IndexOf("\\u"u8) < 0)
            return null;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        var path = new Stack<(string? Name, int Index)>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        if (!IsText(ref reader))
                            return Invalid(Pointer(path), "a name");
                        var (_, index) = path.Pop();
                        path.Push((reader.GetString(), index));
                        continue;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        Advance(path);
                        path.Push((null, -1));
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        path.Pop();
                        continue;
                    case JsonTokenType.String:
                        Advance(path);
                        if (!IsText(ref reader))
                            return Invalid(Pointer(path), "a value");
                        continue;
                    default:
                        Advance(path);
                        continue;
                }
            }
        }
        catch (JsonException)
        {
        }
        return null;
    }

    /// <summary>
    /// Moves an array's index on to the element that starts now. Arrays and objects both open as
    /// (null, -1); inside an object a value always follows its name, so a nameless top is an array.
    /// </summary>
    private static void Advance(Stack<(string? Name, int Index)> path)
    {
        if (path.TryPeek(out var top) && top.Name is null)
        {
            path.Pop();
            path.Push((null, top.Index + 1));
        }
    }

    private static bool IsText(ref Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Pointer(Stack<(string? Name, int Index)> path) =>
        path.Reverse().Where(p => p.Name is not null || p.Index >= 0)
            .Aggregate("", (pointer, p) => JsonPointer.Append(pointer, p.Name ?? p.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static SchemaError Invalid(string pointer, string what) =>
        new(pointer, "invalid_json", $"{(what == "a name" ? "A name" : "The value")} here is not valid Unicode text (bytes that are not UTF-8, or a lone surrogate).");
}
