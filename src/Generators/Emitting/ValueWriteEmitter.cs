using Sources.Generators.Helpers;
using Sources.Generators.Model;

namespace Sources.Generators.Emitting;

/// <summary>Emits the code that writes one value back out as JSON.</summary>
internal static class ValueWriteEmitter
{
    public static void Emit(SourceWriter w, ValueSpec value, string expression, ref int next)
    {
        switch (value.Kind)
        {
            case ValueKind.String:
                w.Line($"writer.WriteStringValue({expression});");
                break;
            case ValueKind.Integer:
            case ValueKind.Number:
                w.Line($"writer.WriteNumberValue({expression});");
                break;
            case ValueKind.Boolean:
                w.Line($"writer.WriteBooleanValue({expression});");
                break;
            case ValueKind.Any:
                w.Line($"{expression}.WriteTo(writer);");
                break;
            case ValueKind.Object:
            case ValueKind.Union:
                w.Line($"{expression}.WriteTo(writer, includeWriteOnly);");
                break;
            case ValueKind.Array:
                var item = "item" + next++;
                w.Line("writer.WriteStartArray();");
                w.Open($"foreach (var {item} in {expression})");
                Emit(w, value.Items!, item, ref next);
                w.Close();
                w.Line("writer.WriteEndArray();");
                break;
        }
    }
}
