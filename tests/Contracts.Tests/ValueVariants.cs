using System.Globalization;
using System.Text.Json.Nodes;
using static Sources.Contracts.Tests.SchemaFacts;

namespace Sources.Contracts.Tests;

/// <summary>
/// Every way the spec lets a value be broken, plus valid neighbours: wrong JSON types, lengths
/// either side of each bound, pattern and enum breaks, integers either side of each bound, arrays
/// short, long, duplicated or with a bad item, nested objects missing or gaining fields.
/// </summary>
/// <remarks>
/// Kept out on purpose, because NJsonSchema and the JSON Schema standard differ on them (each
/// difference is tested on its own in OracleGapTests):
/// characters outside the Basic Multilingual Plane (NJsonSchema counts string length in UTF-16
/// units, the standard in code points); a line feed at the end of a string (.NET's <c>$</c>, which
/// NJsonSchema uses, matches before it, ECMA-262's does not), so no line terminator is ever
/// inserted; U+0085 and U+FEFF (whitespace to one of .NET's and ECMA-262's <c>\s</c> only); and
/// URIs that RFC 3986 and .NET's Uri judge differently (see <see cref="UriText"/>), so a URI is
/// only ever stretched at its end with unreserved characters; and integers past the range of a
/// long, on which NJsonSchema throws (it reads them as BigInteger and cannot compare them).
/// </remarks>
internal sealed class ValueVariants(ValueFactory values, Random random)
{
    private const string Alphabet = "aZ09-_.@/\\: é\tß\u0001#%+~!";
    private const string Unreserved = "aZ09-._~";

    public IEnumerable<(string Label, JsonNode? Value)> Of(string name, JsonObject schema)
    {
        schema = values.Resolve(schema);
        var variants = WrongTypes(schema).Concat(Type(schema) switch
        {
            _ when schema["oneOf"] is JsonArray branches => branches.SelectMany(b => Of(name, b!.AsObject())),
            "string" => Strings(name, schema).Where(v => UriText.SafeForOracle(schema, v.Value)).Select(v => (v.Label, (JsonNode?)JsonValue.Create(v.Value))),
            "integer" => Integers(schema),
            "array" => Arrays(name, schema),
            "boolean" => [],
            _ => Objects(schema),
        });
        var seen = new HashSet<string>();
        return variants.Where(v => seen.Add(Json.Text(v.Item2)));
    }

    private static IEnumerable<(string, JsonNode?)> WrongTypes(JsonObject schema)
    {
        var own = schema["oneOf"] is JsonArray branches
            ? branches.Select(b => Type(b!.AsObject()) ?? "object").ToHashSet()
            : [Type(schema) ?? "object"];
        if (!own.Contains("string")) yield return ("a string", "text");
        if (!own.Contains("integer")) yield return ("an integer", 42);
        yield return ("a fraction", 1.5);
        if (!own.Contains("boolean")) yield return ("a boolean", true);
        yield return ("null", null);
        if (!own.Contains("array")) yield return ("an array", new JsonArray());
        if (!own.Contains("object")) yield return ("an object", new JsonObject());
    }

    private IEnumerable<(string Label, string Value)> Strings(string name, JsonObject schema)
    {
        var valid = values.String(name, schema);
        var uri = Text(schema, "format") == "uri";
        foreach (var bound in new[] { "minLength", "maxLength" })
        {
            if (Long(schema, bound) is not { } limit) continue;
            foreach (var length in new[] { limit - 1, limit, limit + 1 })
                if (values.OfLength(name, schema, (int)length) is { } sized)
                    yield return ($"{length} characters ({bound} {limit})", sized);
        }
        yield return ("empty", "");
        if (Enum(schema) is { } allowed)
        {
            yield return ("another word", "X" + allowed[0]);
            yield return ("other letter case", Flip(allowed[0]));
        }
        yield return ("with a non-ASCII letter", valid + "é");
        if (uri)
        {
            foreach (var text in UriText.AgreedInvalid) yield return ("no URI", text);
            yield return ("a URN", "urn:example:a");
            for (var i = 0; i < 3; i++) yield return ("stretched at its end", valid + Unreserved[random.Next(Unreserved.Length)]);
            yield break;
        }
        yield return ("other letter case", Flip(valid));
        yield return ("prefixed", "#" + valid);
        yield return ("suffixed", valid + "#");
        var tries = Text(schema, "pattern") is null ? 2 : 8;
        for (var i = 0; i < tries; i++)
        {
            var at = random.Next(valid.Length + 1);
            var c = Alphabet[random.Next(Alphabet.Length)];
            yield return ($"'{Escape(c)}' inserted at {at}", valid.Insert(at, c.ToString()));
        }
    }

    private static IEnumerable<(string, JsonNode?)> Integers(JsonObject schema)
    {
        var (min, max) = IntegerRange(schema);
        var mid = min / 2 + max / 2;
        var numbers = new List<(string, string)>
        {
            ("minimum - 1", Minus(min)), ("minimum", Show(min)), ("maximum", Show(max)), ("maximum + 1", Plus(max)),
            ("zero", "0"), ("minus one", "-1"), ("middle", Show(mid)), ("past int32", "2147483648"), ("below int32", "-2147483649"),
            ("a fraction", Show(mid) + ".5"), ("a zero fraction", Show(mid) + ".0"), ("an exponent", "1e2"), ("minus zero", "-0"),
        };
        foreach (var (label, text) in numbers) yield return (label, JsonNode.Parse(text));
        yield return ("a numeric string", Show(mid));
    }

    private IEnumerable<(string, JsonNode?)> Arrays(string name, JsonObject schema)
    {
        var min = (int)(Long(schema, "minItems") ?? 0);
        var max = (int?)Long(schema, "maxItems");
        var counts = new List<int> { 0, Math.Max(0, min - 1), min, min + 1, 2 };
        if (max is { } m) counts.AddRange([m, m + 1]);
        foreach (var count in counts.Distinct())
            yield return ($"{count} items", new JsonArray(values.Items(name, schema, count).ToArray()));
        var first = values.Items(name, schema, 1).Single();
        yield return ("the same item twice", new JsonArray(first.DeepClone(), first.DeepClone()));
        foreach (var (label, item) in Of(name, schema["items"]!.AsObject()))
            yield return ($"item 1 {label}", new JsonArray(first.DeepClone(), item));
    }

    private IEnumerable<(string, JsonNode?)> Objects(JsonObject schema)
    {
        var full = values.Object(schema, Properties(schema));
        yield return ("with every property", full);
        foreach (var name in Required(schema))
            yield return ($"without {name}", Except(full, name));
        yield return ("with an extra field", With(full, "extra_field", "x"));
        foreach (var name in Properties(schema))
        {
            yield return ($"{name} misspelt as {Typo(name)}", With(Except(full, name), Typo(name), full[name]!.DeepClone()));
            foreach (var (label, value) in Of(name, Property(schema, name)))
                yield return ($"{name} {label}", With(full, name, value));
        }
    }

    public static string Typo(string name) => name.Length > 3 ? name.Remove(name.Length / 2, 1) : name + "x";

    private static JsonObject Except(JsonObject body, string name)
    {
        var copy = body.DeepClone().AsObject();
        copy.Remove(name);
        return copy;
    }

    private static JsonObject With(JsonObject body, string name, JsonNode? value)
    {
        var copy = body.DeepClone().AsObject();
        copy[name] = value?.DeepClone();
        return copy;
    }

    private static string Flip(string text) => text == text.ToUpperInvariant() ? text.ToLowerInvariant() : text.ToUpperInvariant();

    private static string Escape(char c) => c < ' ' ? $"\\u{(int)c:X4}" : c.ToString();

    private static string Show(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Minus(long value) => value == long.MinValue ? "-9223372036854775809" : Show(value - 1);

    private static string Plus(long value) => value == long.MaxValue ? "9223372036854775808" : Show(value + 1);
}
