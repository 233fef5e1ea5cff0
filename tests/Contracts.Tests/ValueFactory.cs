using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Sources.Contracts.Tests.SchemaFacts;

namespace Sources.Contracts.Tests;

/// <summary>
/// Valid values for any schema of the spec. Strings come from the spec's own examples (by
/// property name, from any shape), its defaults and a few plain words, each kept only when it
/// meets the property's constraints; so a new pattern in the spec needs an example, not code.
/// </summary>
internal sealed class ValueFactory
{
    private static readonly string[] Plain = ["sample", "a", "value_1", "x@y.z", "https://example.com/x", "2"];
    private readonly SpecDocument _spec;
    private readonly Dictionary<string, List<string>> _seeds = [];

    public ValueFactory(SpecDocument spec)
    {
        _spec = spec;
        foreach (var (_, example) in spec.RequestExamples) Collect(example);
    }

    public JsonObject Resolve(JsonObject schema) => _spec.Resolve(schema);

    public JsonNode Valid(string name, JsonObject schema)
    {
        schema = Resolve(schema);
        if (schema["oneOf"] is JsonArray branches) return Valid(name, branches[0]!.AsObject());
        return Type(schema) switch
        {
            "string" => JsonValue.Create(String(name, schema)),
            "integer" => JsonValue.Create(Integer(schema)),
            "boolean" => JsonValue.Create(true),
            "array" => new JsonArray(Items(name, schema, (int)Math.Max(1, Long(schema, "minItems") ?? 1)).ToArray()),
            _ => Object(schema, Required(schema)),
        };
    }

    public JsonObject Object(JsonObject schema, IEnumerable<string> names)
    {
        var body = new JsonObject();
        foreach (var name in names) body[name] = Valid(name, Property(schema, name));
        return body;
    }

    /// <summary><paramref name="count"/> items that are valid and, where the array wants it, distinct.</summary>
    public IEnumerable<JsonNode> Items(string name, JsonObject array, int count)
    {
        var items = Resolve(array["items"]!.AsObject());
        if (Type(items) != "string")
            return Enumerable.Range(0, count).Select(_ => Valid(name, items));
        return Distinct(name, items).Take(count).Select(s => (JsonNode)JsonValue.Create(s));
    }

    public string String(string name, JsonObject schema) =>
        Candidates(name, schema).FirstOrDefault(s => Fits(schema, s))
        ?? throw new InvalidOperationException($"No example, default or plain word is a valid '{name}'; add an example to the spec.");

    /// <summary>Valid strings, all different: the first valid one, then it stretched one character at a time.</summary>
    public IEnumerable<string> Distinct(string name, JsonObject schema)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var first = String(name, schema);
        foreach (var candidate in Candidates(name, schema).Prepend(first).Concat(Stretched(first)))
            if (Fits(schema, candidate) && seen.Add(candidate))
                yield return candidate;
    }

    /// <summary>A string of exactly <paramref name="length"/> code points made from a valid one: valid
    /// apart from its length when it can be, or null when no simple stretch or cut keeps the pattern.</summary>
    public string? OfLength(string name, JsonObject schema, int length)
    {
        if (length < 0) return null;
        var seed = String(name, schema);
        var loose = schema.DeepClone().AsObject();
        loose.Remove("minLength");
        loose.Remove("maxLength");
        return Resized(seed, length).FirstOrDefault(s => Fits(loose, s));
    }

    public long Integer(JsonObject schema)
    {
        var (min, max) = IntegerRange(schema);
        var preferred = Long(schema, "default") ?? 1;
        return Math.Clamp(preferred, min, max);
    }

    /// <summary>
    /// Whether both validators take <paramref name="value"/> for <paramref name="schema"/> under the
    /// standard's rules too: length in code points, the pattern under ECMA-262 (whose <c>$</c> does not
    /// match before a final newline, unlike .NET's), and a URI judged the same by RFC 3986 and .NET.
    /// </summary>
    public static bool Fits(JsonObject schema, string value)
    {
        var length = value.EnumerateRunes().Count();
        if (Enum(schema) is { } allowed && !allowed.Contains(value)) return false;
        if (length < (Long(schema, "minLength") ?? 0) || length > (Long(schema, "maxLength") ?? long.MaxValue)) return false;
        if (Text(schema, "pattern") is { } pattern && (!Regex.IsMatch(value, pattern) || (pattern.Contains('$') && value.EndsWith('\n')))) return false;
        return Text(schema, "format") != "uri" || UriText.IsPlain(value);
    }

    private IEnumerable<string> Candidates(string name, JsonObject schema)
    {
        foreach (var value in Enum(schema) ?? []) yield return value;
        foreach (var seed in _seeds.GetValueOrDefault(name) ?? []) yield return seed;
        if (schema["default"] is JsonValue d && d.TryGetValue<string>(out var fallback)) yield return fallback;
        foreach (var word in Plain) yield return word;
    }

    private static IEnumerable<string> Stretched(string seed)
    {
        for (var i = 0; i < 2000; i++)
            foreach (var s in Resized(seed, seed.Length + 1 + i / 3)) yield return s;
    }

    private static IEnumerable<string> Resized(string seed, int length)
    {
        if (length <= seed.Length)
        {
            yield return seed[..length];
            yield return seed[^length..];
            yield break;
        }
        foreach (var pad in new[] { 'a', '0', '_', 'b' })
        {
            var padding = new string(pad, length - seed.Length);
            yield return seed + padding;
            yield return padding + seed;
            yield return seed[..(seed.Length / 2)] + padding + seed[(seed.Length / 2)..];
            var slash = seed.LastIndexOf('/');
            if (slash >= 0) yield return seed[..(slash + 1)] + padding + seed[(slash + 1)..];
        }
    }

    private void Collect(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, value) in map)
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var text))
                        (_seeds.TryGetValue(key, out var list) ? list : _seeds[key] = []).Add(text);
                    Collect(value);
                }
                break;
            case JsonArray list:
                foreach (var item in list) Collect(item);
                break;
        }
    }
}
