using System.Linq;
using Sources.Generators.Helpers;
using Sources.Generators.Model;

namespace Sources.Generators.Emitting;

/// <summary>
/// Emits one class per object schema: its properties, a reader that checks every rule of
/// the spec in the same pass over the bytes, a writer, and the metadata the service needs
/// (which properties are secrets, which the input held).
/// </summary>
internal static class ObjectEmitter
{
    public static string Emit(ObjectSpec spec, string @namespace, string specFileName)
    {
        var w = FileHeader.Start(@namespace, specFileName, Usings(spec));
        FileHeader.Summary(w, spec.Description);
        var interfaces = string.Join(", ", spec.Implements.Concat(new[] { "IJsonWritable" }));
        w.Open($"public sealed partial class {spec.Name} : {interfaces}");

        Properties(w, spec);
        Metadata(w, spec);
        var reads = new ValueReadEmitter(w);
        Reader(w, spec, reads);
        Writer(w, spec);
        for (var i = 0; i < reads.Patterns.Count; i++)
            w.Line($"private static readonly Regex Pattern{i} = new Regex({Names.Literal(EcmaPattern.ToDotNet(reads.Patterns[i]))}, RegexOptions.Compiled, TimeSpan.FromSeconds(1));");
        w.Line();
        w.Line("/// <summary>Runs after a read that found nothing wrong: derived defaults go here, in a partial.</summary>");
        w.Line("partial void OnRead();");

        w.Close();
        w.Close();
        return w.ToString();
    }

    private static string[] Usings(ObjectSpec spec)
    {
        var usings = new System.Collections.Generic.List<string> { "System", "System.Collections.Generic", "System.Text.Json" };
        if (spec.Properties.Count > 0) usings.Add("System.Text.Json.Serialization");
        if (spec.Properties.Any(p => CSharpTypes.HasPattern(p.Value))) usings.Add("System.Text.RegularExpressions");
        return usings.ToArray();
    }

    private static void Properties(SourceWriter w, ObjectSpec spec)
    {
        foreach (var property in spec.Properties)
        {
            FileHeader.Summary(w, property.Description);
            w.Line($"[JsonPropertyName({Names.Literal(property.JsonName)})]");
            var initializer = CSharpTypes.Initializer(property);
            w.Line($"public {CSharpTypes.Declared(property)} {property.Name} {{ get; set; }}{(initializer is null ? "" : $" = {initializer};")}");
            w.Line();
            if (HasRawCompanion(property)) RawCompanion(w, property);
        }
        if (spec.Properties.Count == 0) return;
        w.Line("/// <summary>Which properties the input held, one bit per property in spec order.</summary>");
        w.Line("private ulong _present;");
        w.Line();
    }

    /// <summary>
    /// A free-form object or a discriminated union the service keeps as JSON text can be written as that text, so an answer
    /// need not parse it into a value only to write it out again. Not part of the
    /// contract: never read, and ignored by System.Text.Json.
    /// </summary>
    private static void RawCompanion(SourceWriter w, PropertySpec property)
    {
        w.Line($"/// <summary>When set, written verbatim in place of <see cref=\"{property.Name}\"/>: compact JSON text already in the form the writer would give it. Never set by a read.</summary>");
        w.Line("[JsonIgnore]");
        w.Line($"public string? {RawName(property)} {{ get; set; }}");
        w.Line();
    }

    private static string RawName(PropertySpec property) => property.Name + "RawJson";

    /// <summary>Free-form objects and discriminated unions: the values the service keeps as JSON text.</summary>
    private static bool HasRawCompanion(PropertySpec property) => property.Value.Kind == ValueKind.Any || property.Value.IsDiscriminatedUnion;

    private static void Metadata(SourceWriter w, ObjectSpec spec)
    {
        var all = spec.Properties.Select(p => p.JsonName).ToList();
        var secrets = spec.Properties.Where(p => p.WriteOnly).Select(p => p.JsonName).ToList();
        var required = spec.Properties.Where(p => p.Required).Select(p => p.JsonName).ToList();
        var locating = spec.Properties.Where(p => p.LocatesSource).Select(p => p.JsonName).ToList();
        w.Line("/// <summary>The JSON names of every property, in spec order.</summary>");
        w.Line($"private static readonly string[] KnownNames = {Names.LiteralArray(all)};");
        w.Line($"public static IReadOnlyList<string> PropertyNames {{ get; }} = KnownNames;");
        w.Line("/// <summary>The properties marked writeOnly: secrets to seal, never to return or log.</summary>");
        w.Line($"public static IReadOnlyList<string> WriteOnlyProperties {{ get; }} = {Names.LiteralArray(secrets)};");
        w.Line("/// <summary>The properties marked x-locates-source: where a probe goes or as whom it signs in; a merge patch never changes them.</summary>");
        w.Line($"public static IReadOnlyList<string> LocatingProperties {{ get; }} = {Names.LiteralArray(locating)};");
        w.Line($"public static IReadOnlyList<string> RequiredProperties {{ get; }} = {Names.LiteralArray(required)};");
        w.Line();
        w.Line("/// <summary>Whether the input held the property (as opposed to a default filling it in).</summary>");
        var rules = new RuleEmitter(spec);
        var arms = spec.Properties.Select(p => $"{Names.Literal(p.JsonName)} => !({rules.Missing(p.JsonName)}),");
        w.Open("public bool IsSet(string jsonName) => jsonName switch");
        foreach (var arm in arms) w.Line(arm);
        w.Line("_ => false,");
        w.Close(";");
        w.Line();
    }

    private static void Reader(SourceWriter w, ObjectSpec spec, ValueReadEmitter reads)
    {
        var rules = new RuleEmitter(spec);
        w.Line("/// <summary>Reads and validates UTF-8 JSON; never throws on bad input.</summary>");
        w.Line($"public static ReadResult<{spec.Name}> Parse(ReadOnlySpan<byte> utf8) => JsonInput.Parse<{spec.Name}>(utf8, Read);");
        w.Line();
        w.Line("/// <summary>Reads the object at the reader's current token, reporting every error at its pointer.</summary>");
        w.Open($"public static {spec.Name}? Read(ref Utf8JsonReader reader, string pointer, SchemaErrors errors)");
        w.Line("if (!JsonValues.ExpectObject(ref reader, pointer, errors)) return null;");
        w.Line($"var value = new {spec.Name}();");
        w.Line("var errorsBefore = errors.Count;");
        w.Open("while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)");
        var first = true;
        foreach (var property in spec.Properties)
        {
            w.Line($"{(first ? "" : "else ")}if (reader.ValueTextEquals({Names.Utf8Literal(property.JsonName)})) value.Read{property.Name}(ref reader, pointer, errors);");
            first = false;
        }
        var unknown = spec.AllowsAdditionalProperties
            ? "{ reader.Read(); reader.Skip(); }"
            : "JsonValues.UnknownProperty(ref reader, pointer, errors, KnownNames);";
        w.Line(first ? unknown : $"else {unknown}");
        w.Close();
        w.Line("value.CheckRules(pointer, errors);");
        w.Line("if (errors.Count == errorsBefore) value.OnRead();");
        w.Line("return value;");
        w.Close();
        w.Line();

        foreach (var property in spec.Properties)
        {
            w.Open($"private void Read{property.Name}(ref Utf8JsonReader reader, string pointer, SchemaErrors errors)");
            w.Line($"if (!({rules.Missing(property.JsonName)})) JsonValues.Duplicate(pointer, {Names.Literal(property.JsonName)}, errors);");
            w.Line($"_present |= {rules.Bit(property.JsonName)};");
            w.Line("reader.Read();");
            w.Line($"var at = new JsonLocation(pointer, {Names.Literal(property.JsonName)});");
            reads.Emit(property.Value, "at", "pointer", property.JsonName, property.FoldsCase, read => $"{property.Name} = {read};");
            w.Close();
            w.Line();
        }

        w.Open("private void CheckRules(string pointer, SchemaErrors errors)");
        foreach (var property in spec.Properties.Where(p => p.Required))
            w.Line($"if ({rules.Missing(property.JsonName)}) JsonValues.Required(pointer, {Names.Literal(property.JsonName)}, errors);");
        if (spec.Assertion is { } assertion)
            rules.Report(w, assertion);
        w.Close();
        w.Line();
    }

    private static void Writer(SourceWriter w, ObjectSpec spec)
    {
        w.Line("/// <summary>Writes the object as JSON; secrets only when asked, for sealing.</summary>");
        w.Open("public void WriteTo(Utf8JsonWriter writer, bool includeWriteOnly = false)");
        w.Line("writer.WriteStartObject();");
        var next = 0;
        foreach (var property in spec.Properties)
        {
            var conditions = new System.Collections.Generic.List<string>();
            if (property.WriteOnly) conditions.Add("includeWriteOnly");
            var raw = HasRawCompanion(property) ? RawName(property) : null;
            if (CSharpTypes.IsNullable(property))
                conditions.Add(raw is null ? $"{property.Name} is not null" : $"({property.Name} is not null || {raw} is not null)");
            var value = CSharpTypes.IsNullable(property) && property.Value.Kind is ValueKind.Integer or ValueKind.Number or ValueKind.Boolean or ValueKind.Any
                // With a raw companion the condition above no longer proves the value set, though the branch below does.
                ? property.Name + (raw is null ? ".Value" : ".GetValueOrDefault()")
                : property.Name + (raw is not null && CSharpTypes.IsNullable(property) ? "!" : "");
            if (conditions.Count > 0) w.Open($"if ({string.Join(" && ", conditions)})");
            w.Line($"writer.WritePropertyName({Names.Utf8Literal(property.JsonName)});");
            if (raw is not null)
            {
                w.Line($"if ({raw} is not null) writer.WriteRawValue({raw});");
                w.Open("else");
            }
            ValueWriteEmitter.Emit(w, property.Value, value, ref next);
            if (raw is not null) w.Close();
            if (conditions.Count > 0) w.Close();
        }
        w.Line("writer.WriteEndObject();");
        w.Close();
        w.Line();
    }
}
