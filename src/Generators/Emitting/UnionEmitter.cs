using Sources.Generators.Model;

namespace Sources.Generators.Emitting;

/// <summary>Emits the class for a value that may take one of several JSON types: one nullable
/// property per branch, exactly one of them set after a valid read.</summary>
internal static class UnionEmitter
{
    public static string Emit(UnionSpec spec, string @namespace, string specFileName)
    {
        var w = System.Linq.Enumerable.Any(spec.Branches, b => b.Kind == ValueKind.Array)
            ? FileHeader.Start(@namespace, specFileName, "System.Collections.Generic", "System.Text.Json")
            : FileHeader.Start(@namespace, specFileName, "System.Text.Json");
        FileHeader.Summary(w, "A value that is one of: " + string.Join(", ", System.Linq.Enumerable.Select(spec.Branches, CSharpTypes.JsonTypeName)) + ".");
        w.Open($"public sealed partial class {spec.Name} : IJsonWritable");
        foreach (var branch in spec.Branches)
        {
            var type = CSharpTypes.Of(branch);
            w.Line($"public {type}? {CSharpTypes.BranchProperty(branch)} {{ get; set; }}");
        }
        w.Line();
        w.Open("public void WriteTo(Utf8JsonWriter writer, bool includeWriteOnly = false)");
        var next = 0;
        var first = true;
        foreach (var branch in spec.Branches)
        {
            var property = CSharpTypes.BranchProperty(branch);
            var value = branch.Kind is ValueKind.Integer or ValueKind.Number or ValueKind.Boolean or ValueKind.Any ? property + ".Value" : property;
            w.Open($"{(first ? "" : "else ")}if ({property} is not null)");
            ValueWriteEmitter.Emit(w, branch, value, ref next);
            w.Close();
            first = false;
        }
        w.Line("else writer.WriteNullValue();");
        w.Close();
        w.Close();
        w.Close();
        return w.ToString();
    }
}
