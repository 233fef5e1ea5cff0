using System.Linq;
using Sources.Generators.Helpers;
using Sources.Generators.Model;

namespace Sources.Generators.Emitting;

/// <summary>
/// Emits a oneOf-with-discriminator as an interface the branches implement and a static
/// reader that looks ahead for the discriminator (it may come after other fields), then
/// hands the whole object to the selected type's reader.
/// </summary>
internal static class DiscriminatorEmitter
{
    public static string Emit(DiscriminatedUnionSpec spec, string @namespace, string specFileName)
    {
        var property = Names.Pascal(spec.PropertyJsonName);
        var values = spec.Mappings.Select(m => m.Value).ToList();
        var allowed = string.Join(", ", values);
        var w = FileHeader.Start(@namespace, specFileName, "System", "System.Collections.Generic", "System.Text.Json");

        FileHeader.Summary(w, spec.Description);
        w.Open($"public partial interface I{spec.Name} : IJsonWritable");
        w.Line($"string {property} {{ get; }}");
        w.Close();
        w.Line();

        FileHeader.Summary(w, spec.Description);
        w.Open($"public static partial class {spec.Name}");
        w.Line($"/// <summary>The values of '{spec.PropertyJsonName}' that select a shape.</summary>");
        w.Line($"public static IReadOnlyList<string> Discriminators {{ get; }} = {Names.LiteralArray(values)};");
        w.Line();
        Lookup(w, spec, "The generated type each discriminator value selects.",
            "Type? TypeFor", type => $"typeof({type})", "null");
        Lookup(w, spec, "The writeOnly (secret) properties of the shape a discriminator value selects.",
            "IReadOnlyList<string> WriteOnlyPropertiesFor", type => $"{type}.WriteOnlyProperties", "Array.Empty<string>()");
        Lookup(w, spec, "The x-locates-source properties (where a probe goes, as whom it signs in) of the shape a discriminator value selects.",
            "IReadOnlyList<string> LocatingPropertiesFor", type => $"{type}.LocatingProperties", "Array.Empty<string>()");
        w.Line($"public static ReadResult<I{spec.Name}> Parse(ReadOnlySpan<byte> utf8) => JsonInput.Parse<I{spec.Name}>(utf8, Read);");
        w.Line();
        w.Open($"public static I{spec.Name}? Read(ref Utf8JsonReader reader, string pointer, SchemaErrors errors)");
        w.Line("if (!JsonValues.ExpectObject(ref reader, pointer, errors)) return null;");
        w.Line($"var at = JsonPointer.Append(pointer, {Names.Literal(spec.PropertyJsonName)});");
        w.Line("// Look ahead on a copy of the reader (a struct), so the chosen reader sees the whole object.");
        w.Line("var scan = reader;");
        w.Line("var found = false;");
        w.Line("string? value = null;");
        w.Open("while (scan.Read() && scan.TokenType == JsonTokenType.PropertyName)");
        w.Open($"if (scan.ValueTextEquals({Names.Utf8Literal(spec.PropertyJsonName)}))");
        w.Line("scan.Read();");
        w.Line("found = true;");
        w.Line("if (scan.TokenType == JsonTokenType.String) value = scan.GetString();");
        w.Line("break;");
        w.Close();
        w.Line("scan.Read();");
        w.Line("scan.Skip();");
        w.Close();
        w.Open("if (!found)");
        w.Line($"errors.Add(at, \"required\", {Names.Literal($"'{spec.PropertyJsonName}' is required: one of {allowed}.")});");
        w.Line("reader.Skip();");
        w.Line("return null;");
        w.Close();
        var selector = spec.CaseInsensitive ? "value?.ToUpperInvariant()" : "value";
        w.Open($"switch ({selector})");
        foreach (var mapping in spec.Mappings)
            w.Line($"case {Names.Literal(mapping.Value)}: return {mapping.TypeName}.Read(ref reader, pointer, errors);");
        w.Line("default:");
        w.Line($"    errors.Add(at, \"discriminator\", value is null ? {Names.Literal($"must be a string, one of: {allowed}.")} : $\"'{{value}}' is not a known {spec.PropertyJsonName}; expected one of: {allowed}.\");");
        w.Line("    reader.Skip();");
        w.Line("    return null;");
        w.Close();
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }

    /// <summary>A static switch from a discriminator value to something of its type.</summary>
    private static void Lookup(SourceWriter w, DiscriminatedUnionSpec spec, string summary, string signature, System.Func<string, string> arm, string fallback)
    {
        w.Line($"/// <summary>{summary}</summary>");
        w.Open($"public static {signature}(string discriminator) => discriminator switch");
        foreach (var mapping in spec.Mappings)
            w.Line($"{Names.Literal(mapping.Value)} => {arm(mapping.TypeName)},");
        w.Line($"_ => {fallback},");
        w.Close(";");
        w.Line();
    }
}
