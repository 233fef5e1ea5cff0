using System.Numerics;
using System.Text.Json.Nodes;
using static Sources.Contracts.Tests.SchemaFacts;

namespace Sources.Contracts.Tests;

/// <summary>One request body of the corpus: the shape it was built from, how, and its JSON text.</summary>
internal sealed record Payload(string Shape, string Label, string Json);

/// <summary>
/// A deterministic corpus of request bodies, driven by the spec: for each shape of
/// CreateSourceRequest, every combination of its properties present or absent (so each required
/// field dropped and each rule across fields kept or broken), every variant of each property
/// (<see cref="ValueVariants"/>) on a valid base that holds it, random mixes of those, and the
/// body-level breaks (unknown fields, every kind of wrong <c>type</c>).
/// </summary>
internal sealed class PayloadGenerator
{
    public const int Seed = 20_261_127;
    private const int MaxCombinations = 512;
    private const int Mixes = 40;

    private readonly SpecDocument _spec;
    private readonly ValueFactory _values;
    private readonly ValueVariants _variants;
    private readonly Random _random = new(Seed);

    public PayloadGenerator(SpecDocument spec)
    {
        _spec = spec;
        _values = new ValueFactory(spec);
        _variants = new ValueVariants(_values, _random);
    }

    public IReadOnlyList<(string Value, string Schema)> Shapes => SchemaFacts.Shapes(_spec, "CreateSourceRequest");

    public List<Payload> Generate()
    {
        var corpus = new List<Payload>();
        foreach (var (shape, schemaName) in Shapes)
            corpus.AddRange(ForShape(shape, _spec.Schema(schemaName)));
        corpus.AddRange(new[] { "[]", "\"POSTGRES\"", "42", "null", "{}", """{"type":null}""", """{"type":""}""" }
            .Select(json => new Payload("", "not a request", json)));
        return corpus;
    }

    private IEnumerable<Payload> ForShape(string shape, JsonObject schema)
    {
        var others = Properties(schema).Where(p => p != "type").ToList();
        var valid = new Dictionary<string, JsonNode>();
        foreach (var name in others) valid[name] = _values.Valid(name, Property(schema, name));
        JsonObject Body(IEnumerable<string> names) => Build(shape, names.Select(n => (n, valid[n])));

        var combinations = Combinations(others.Count).ToList();
        foreach (var mask in combinations)
            yield return Make(shape, $"present: {string.Join(",", Names(others, mask))}", Body(Names(others, mask)));

        var holding = combinations
            .Where(mask => PresenceRules.Hold(schema, Names(others, mask).Append("type").ToHashSet()))
            .OrderByDescending(BitOperations.PopCount).ThenBy(mask => mask).ToList();
        if (holding.Count == 0) throw new InvalidOperationException($"No combination of {shape}'s properties keeps its rules.");
        var mutations = new List<(string Name, string Label, JsonNode? Value)>();
        foreach (var (name, index) in others.Select((n, i) => (n, i)))
        {
            var baseMask = holding.FirstOrDefault(mask => (mask & (1UL << index)) != 0, holding[0]);
            foreach (var (label, value) in _variants.Of(name, Property(schema, name)))
            {
                mutations.Add((name, label, value));
                yield return Make(shape, $"{name} {label}", Body(Names(others, baseMask)).With(name, value?.DeepClone()));
            }
        }

        var full = Body(Names(others, holding[0]));
        for (var i = 0; i < Mixes; i++)
        {
            var mix = full.DeepClone().AsObject();
            // Long arrays stay out of the mixes: they are tried on their own, and slow NJsonSchema down.
            var picked = mutations.Where(m => _random.NextDouble() < 0.08 && Json.Text(m.Value).Length < 4096).ToList();
            foreach (var (name, _, value) in picked) mix[name] = value?.DeepClone();
            yield return Make(shape, "mix of " + string.Join("; ", picked.Select(p => $"{p.Name} {p.Label}")), mix);
        }

        foreach (var payload in BodyLevel(shape, full, others)) yield return payload;
    }

    private IEnumerable<Payload> BodyLevel(string shape, JsonObject full, List<string> others)
    {
        foreach (var name in others.Where(n => !others.Contains(ValueVariants.Typo(n))))
            yield return Make(shape, $"{name} misspelt", Rename(full, name, ValueVariants.Typo(name)));
        yield return Make(shape, "an extra field", full.DeepClone().AsObject().With("extra_field", "x"));
        yield return Make(shape, "type missing", full.DeepClone().AsObject().Without("type"));
        var types = new List<JsonNode?> { shape.ToLowerInvariant(), char.ToUpperInvariant(shape[0]) + shape[1..].ToLowerInvariant(), shape + " ", "X" + shape, "", 5, null, new JsonArray(shape) };
        types.AddRange(Shapes.Select(s => (JsonNode?)s.Value).Where(v => v!.GetValue<string>() != shape));
        foreach (var type in types)
            yield return Make(shape, $"type {Json.Text(type)}", full.DeepClone().AsObject().With("type", type));
    }

    /// <summary>Every subset of <paramref name="count"/> properties, or a fixed random sample when there are too many.</summary>
    private IEnumerable<ulong> Combinations(int count) =>
        count <= 9
            ? Enumerable.Range(0, 1 << count).Select(m => (ulong)m)
            : Enumerable.Range(0, MaxCombinations).Select(_ => (ulong)_random.NextInt64() & ((1UL << count) - 1)).Distinct();

    private static IEnumerable<string> Names(List<string> names, ulong mask) =>
        names.Where((_, i) => (mask & (1UL << i)) != 0);

    private static JsonObject Build(string shape, IEnumerable<(string Name, JsonNode Value)> properties)
    {
        var body = new JsonObject { ["type"] = shape };
        foreach (var (name, value) in properties) body[name] = value.DeepClone();
        return body;
    }

    private static JsonObject Rename(JsonObject body, string from, string to)
    {
        var copy = body.DeepClone().AsObject();
        var value = copy[from]?.DeepClone();
        copy.Remove(from);
        copy[to] = value;
        return copy;
    }

    /// <summary>Writes the body with its fields in a random order: the discriminator may come last.</summary>
    private Payload Make(string shape, string label, JsonObject body)
    {
        var fields = body.Select(p => (p.Key, Value: p.Value?.DeepClone())).OrderBy(_ => _random.Next()).ToList();
        var shuffled = new JsonObject();
        foreach (var (key, value) in fields) shuffled[key] = value;
        return new Payload(shape, label, Json.Text(shuffled));
    }
}
