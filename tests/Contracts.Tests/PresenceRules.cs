using System.Text.Json.Nodes;

namespace Sources.Contracts.Tests;

/// <summary>
/// An object schema's rules across fields (<c>required</c>, <c>anyOf</c>, <c>oneOf</c>, <c>allOf</c>,
/// <c>not</c>, on the shape or in its <c>x-presence-rules</c>) judged on which properties are present: enough for the generator to aim at a valid
/// base or at a broken rule. Only aiming: the verdicts come from the two validators.
/// </summary>
internal static class PresenceRules
{
    public static bool Hold(JsonObject schema, IReadOnlySet<string> present)
    {
        if (schema[StandardRules.Extension] is JsonObject)
            return Hold(StandardRules.Lift(schema), present);
        if (schema["required"] is JsonArray required && !required.All(r => present.Contains(r!.GetValue<string>())))
            return false;
        if (schema["anyOf"] is JsonArray anyOf && !anyOf.Any(s => Hold(s!.AsObject(), present)))
            return false;
        if (schema["oneOf"] is JsonArray oneOf && oneOf.Count(s => Hold(s!.AsObject(), present)) != 1)
            return false;
        if (schema["allOf"] is JsonArray allOf && !allOf.All(s => Hold(s!.AsObject(), present)))
            return false;
        return schema["not"] is not JsonObject not || !Hold(not, present);
    }
}
