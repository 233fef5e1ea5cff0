using System;
using System.Globalization;
using Sources.Generators.Model;

namespace Sources.Generators.Emitting;

/// <summary>Which C# type holds a value of the spec, and how it is declared on a property.</summary>
internal static class CSharpTypes
{
    public static string Of(ValueSpec value) => value.Kind switch
    {
        ValueKind.String => "string",
        ValueKind.Integer => value.Format == "int32" ? "int" : "long",
        ValueKind.Number => "double",
        ValueKind.Boolean => "bool",
        ValueKind.Array => $"IReadOnlyList<{Of(value.Items!)}>",
        ValueKind.Any => "JsonElement",
        _ => value.TypeName!,
    };

    /// <summary>Required or defaulted properties are never null; the others are nullable.</summary>
    public static bool IsNullable(PropertySpec property) =>
        !property.Required && property.DefaultValue is null && DiscriminatorValue(property) is null;

    public static string Declared(PropertySpec property) => Of(property.Value) + (IsNullable(property) ? "?" : "");

    /// <summary>What a property holds before the input sets it.</summary>
    public static string? Initializer(PropertySpec property)
    {
        if (property.DefaultValue is not null) return property.DefaultValue;
        if (DiscriminatorValue(property) is { } only) return Helpers.Names.Literal(only);
        if (IsNullable(property)) return null;
        return property.Value.Kind switch
        {
            ValueKind.String => "\"\"",
            ValueKind.Array => $"Array.Empty<{Of(property.Value.Items!)}>()",
            ValueKind.Object or ValueKind.Union => "null!",
            ValueKind.Any => "default",
            _ => null,
        };
    }

    /// <summary>Whether reading the value checks a pattern: its own, its items' or a branch's.</summary>
    public static bool HasPattern(ValueSpec value) =>
        value.Pattern is not null
        || (value.Items is { } items && HasPattern(items))
        || (value.Branches is { } branches && System.Linq.Enumerable.Any(branches, HasPattern));

    /// <summary>A property whose enum has exactly one value (a discriminator) starts with it.</summary>
    public static string? DiscriminatorValue(PropertySpec property) =>
        property.Value.Kind == ValueKind.String && property.Value.Enum is { Count: 1 } values ? values[0] : null;

    /// <summary>The whole-number range an integer accepts: its bounds clipped to its format.</summary>
    public static (long Min, long Max) IntegerRange(ValueSpec value)
    {
        var (formatMin, formatMax) = value.Format == "int32" ? (int.MinValue, (decimal)int.MaxValue) : (long.MinValue, (decimal)long.MaxValue);
        var min = value.Minimum is { } lo ? Math.Max(Math.Ceiling(lo), formatMin) : formatMin;
        var max = value.Maximum is { } hi ? Math.Min(Math.Floor(hi), formatMax) : formatMax;
        return ((long)min, (long)max);
    }

    public static string Long(long value) => value == long.MinValue ? "long.MinValue" : value.ToString(CultureInfo.InvariantCulture) + "L";

    public static string Double(decimal value) => value.ToString(CultureInfo.InvariantCulture) + "d";

    public static string BranchProperty(ValueSpec branch) => branch.Kind switch
    {
        ValueKind.Object => "AsObject",
        ValueKind.String => "AsString",
        ValueKind.Integer => "AsInteger",
        ValueKind.Number => "AsNumber",
        ValueKind.Boolean => "AsBoolean",
        ValueKind.Array => "AsArray",
        ValueKind.Any => "AsObject",
        _ => throw new InvalidOperationException("A union cannot nest a union."),
    };

    public static string TokenCheck(ValueSpec branch) => branch.Kind switch
    {
        ValueKind.Object or ValueKind.Any => "JsonTokenType.StartObject",
        ValueKind.String => "JsonTokenType.String",
        ValueKind.Integer or ValueKind.Number => "JsonTokenType.Number",
        ValueKind.Boolean => "JsonTokenType.True or JsonTokenType.False",
        ValueKind.Array => "JsonTokenType.StartArray",
        _ => throw new InvalidOperationException("A union cannot nest a union."),
    };

    public static string JsonTypeName(ValueSpec branch) => branch.Kind switch
    {
        ValueKind.Object or ValueKind.Any => "an object",
        ValueKind.String => "a string",
        ValueKind.Integer => "an integer",
        ValueKind.Number => "a number",
        ValueKind.Boolean => "true or false",
        _ => "an array",
    };
}
