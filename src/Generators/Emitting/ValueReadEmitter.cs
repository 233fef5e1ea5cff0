using System;
using System.Collections.Generic;
using System.Linq;
using Sources.Generators.Helpers;
using Sources.Generators.Model;

namespace Sources.Generators.Emitting;

/// <summary>
/// Emits the code that reads one value at the reader's current token and checks every
/// constraint the spec puts on it, reporting each broken one at the value's location.
/// One instance serves one generated class: it numbers its locals and collects the
/// class's compiled patterns.
/// </summary>
internal sealed class ValueReadEmitter
{
    private readonly SourceWriter _w;
    private int _next;

    public ValueReadEmitter(SourceWriter writer) => _w = writer;

    /// <summary>Patterns used by the class, each becoming one static Regex field.</summary>
    public List<string> Patterns { get; } = new();

    /// <param name="at">An expression of type JsonLocation for the value.</param>
    /// <param name="pointer">The pointer of the object that holds the property.</param>
    /// <param name="assign">Turns the expression of a read value into the statement that keeps it.</param>
    public void Emit(ValueSpec value, string at, string pointer, string jsonName, bool foldsCase, Func<string, string> assign)
    {
        switch (value.Kind)
        {
            case ValueKind.String: String(value, at, foldsCase, assign); break;
            case ValueKind.Integer: Integer(value, at, assign); break;
            case ValueKind.Number: Number(value, at, assign); break;
            case ValueKind.Boolean: Boolean(at, assign); break;
            case ValueKind.Array: Array(value, at, pointer, jsonName, assign); break;
            case ValueKind.Object: Object(value, at, assign); break;
            case ValueKind.Union: Union(value, at, pointer, jsonName, assign); break;
            case ValueKind.Any: Any(at, assign); break;
        }
    }

    private void String(ValueSpec value, string at, bool foldsCase, Func<string, string> assign)
    {
        var v = Local("text");
        _w.Open($"if (JsonValues.TryString(ref reader, {at}, errors, out var {v}))");
        if (value.MinLength is not null || value.MaxLength is not null)
        {
            var n = Local("length");
            _w.Line($"var {n} = JsonValues.Length({v});");
            if (value.MinLength is { } min)
                _w.Line($"if ({n} < {min}) errors.Add({at}, \"min_length\", {Names.Literal($"must be at least {min} character{Plural(min)} long.")});");
            if (value.MaxLength is { } max)
                _w.Line($"if ({n} > {max}) errors.Add({at}, \"max_length\", {Names.Literal($"must be at most {max} character{Plural(max)} long.")});");
        }
        if (value.Pattern is { } pattern)
        {
            var field = PatternField(pattern);
            _w.Line($"if (!JsonValues.Matches({field}, {v})) errors.Add({at}, \"pattern\", {Names.Literal($"must match the pattern {pattern}")});");
        }
        if (value.Format == "uri")
            _w.Line($"if (!JsonValues.IsAbsoluteUri({v})) errors.Add({at}, \"format\", \"must be an absolute URI.\");");
        if (value.Enum is { } allowed)
        {
            if (foldsCase)
                _w.Line($"{v} = {v}.ToUpperInvariant();");
            var test = string.Join(" || ", allowed.Select(a => $"{v} == {Names.Literal(a)}"));
            var message = allowed.Count == 1
                ? $"must be {allowed[0]}{(foldsCase ? " (in any letter case)" : "")}."
                : $"must be one of: {string.Join(", ", allowed)}.";
            _w.Line($"if (!({test})) errors.Add({at}, \"enum\", {Names.Literal(message)});");
        }
        _w.Line(assign(v));
        _w.Close();
    }

    private void Integer(ValueSpec value, string at, Func<string, string> assign)
    {
        var (min, max) = CSharpTypes.IntegerRange(value);
        var v = Local("number");
        var cast = value.Format == "int32" ? "(int)" : "";
        _w.Line($"if (JsonValues.TryInteger(ref reader, {at}, errors, {CSharpTypes.Long(min)}, {CSharpTypes.Long(max)}, out var {v})) {assign(cast + v)}");
    }

    private void Number(ValueSpec value, string at, Func<string, string> assign)
    {
        var v = Local("number");
        _w.Open($"if (JsonValues.TryNumber(ref reader, {at}, errors, out var {v}))");
        if (value.Minimum is { } min)
            _w.Line($"if ({v} < {CSharpTypes.Double(min)}) errors.Add({at}, \"minimum\", \"must be at least {min}.\");");
        if (value.Maximum is { } max)
            _w.Line($"if ({v} > {CSharpTypes.Double(max)}) errors.Add({at}, \"maximum\", \"must be at most {max}.\");");
        _w.Line(assign(v));
        _w.Close();
    }

    private void Boolean(string at, Func<string, string> assign)
    {
        var v = Local("flag");
        _w.Line($"if (JsonValues.TryBoolean(ref reader, {at}, errors, out var {v})) {assign(v)}");
    }

    private void Object(ValueSpec value, string at, Func<string, string> assign)
    {
        var v = Local("item");
        _w.Line($"if ({value.UnionReader ?? value.TypeName}.Read(ref reader, {at}.ToString(), errors) is {{ }} {v}) {assign(v)}");
    }

    private void Any(string at, Func<string, string> assign)
    {
        _w.Line($"if (JsonValues.ExpectFreeObject(ref reader, {at}, errors)) {assign("JsonElement.ParseValue(ref reader)")}");
    }

    private void Array(ValueSpec value, string at, string pointer, string jsonName, Func<string, string> assign)
    {
        var items = value.Items!;
        var list = Local("list");
        var index = Local("index");
        _w.Open($"if (JsonValues.ExpectArray(ref reader, {at}, errors))");
        _w.Line($"var {list} = new List<{CSharpTypes.Of(items)}>();");
        _w.Line($"var {index} = 0;");
        _w.Open("while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)");
        Emit(items, $"new JsonLocation({pointer}, {Names.Literal(jsonName)}, {index})", pointer, jsonName, false, item => $"{list}.Add({item});");
        _w.Line($"{index}++;");
        _w.Close();
        if (value.MinItems is { } min)
            _w.Line($"if ({index} < {min}) errors.Add({at}, \"min_items\", {Names.Literal($"must have at least {min} item{Plural(min)}.")});");
        if (value.MaxItems is { } max)
            _w.Line($"if ({index} > {max}) errors.Add({at}, \"max_items\", {Names.Literal($"must have at most {max} item{Plural(max)}.")});");
        if (value.UniqueItems)
            _w.Line($"if (!JsonValues.AllUnique({list})) errors.Add({at}, \"unique_items\", \"must not list the same item twice.\");");
        _w.Line(assign(list));
        _w.Close();
    }

    private void Union(ValueSpec value, string at, string pointer, string jsonName, Func<string, string> assign)
    {
        var branches = value.Branches!;
        _w.Open("switch (reader.TokenType)");
        foreach (var branch in branches)
        {
            _w.Open($"case {CSharpTypes.TokenCheck(branch)}:");
            Emit(branch, at, pointer, jsonName, false,
                read => assign($"new {value.TypeName} {{ {CSharpTypes.BranchProperty(branch)} = {read} }}").TrimEnd(';') + ";");
            _w.Line("break;");
            _w.Close();
        }
        var expected = Names.Listing(branches.Select(CSharpTypes.JsonTypeName).ToList(), "or");
        _w.Line($"default: JsonValues.WrongType(ref reader, {at}, errors, {Names.Literal(expected)}); break;");
        _w.Close();
    }

    private string PatternField(string pattern)
    {
        var index = Patterns.IndexOf(pattern);
        if (index < 0)
        {
            Patterns.Add(pattern);
            index = Patterns.Count - 1;
        }
        return "Pattern" + index;
    }

    private string Local(string stem) => stem + _next++;

    private static string Plural(long count) => count == 1 ? "" : "s";
}
