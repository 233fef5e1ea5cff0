using System.Collections.Generic;
using System.Linq;
using Sources.Generators.Helpers;
using Sources.Generators.Model;

namespace Sources.Generators.Emitting;

/// <summary>
/// Emits the checks of an object's rules across fields. A rule is judged on which
/// properties the input held (the presence bits), so each check is a few bit tests.
/// </summary>
internal sealed class RuleEmitter
{
    private readonly ObjectSpec _spec;

    public RuleEmitter(ObjectSpec spec) => _spec = spec;

    /// <summary>Writes statements that report every broken rule of <paramref name="rule"/>.</summary>
    public void Report(SourceWriter w, AssertionSpec rule)
    {
        switch (rule.Kind)
        {
            case AssertionKind.Required:
                foreach (var name in rule.Required)
                    w.Line($"if ({Missing(name)}) JsonValues.Required(pointer, {Names.Literal(name)}, errors);");
                break;
            case AssertionKind.AllOf:
                foreach (var child in rule.Children) Report(w, child);
                break;
            default:
                var code = rule.Kind switch { AssertionKind.AnyOf => "any_of", AssertionKind.OneOf => "one_of", _ => "not" };
                w.Line($"if (!({Holds(rule)})) errors.Add(pointer, \"{code}\", {Names.Literal(Message(rule))});");
                break;
        }
    }

    /// <summary>A C# expression that is true when the input satisfies <paramref name="rule"/>.</summary>
    private string Holds(AssertionSpec rule) => rule.Kind switch
    {
        AssertionKind.Required => rule.Required.Count == 0 ? "true" : $"(_present & {Mask(rule.Required)}) == {Mask(rule.Required)}",
        AssertionKind.Not => $"!({Holds(rule.Children[0])})",
        AssertionKind.AllOf => string.Join(" && ", rule.Children.Select(c => $"({Holds(c)})")),
        AssertionKind.AnyOf => string.Join(" || ", rule.Children.Select(c => $"({Holds(c)})")),
        _ => string.Join(" + ", rule.Children.Select(c => $"(({Holds(c)}) ? 1 : 0)")) + " == 1",
    };

    private string Message(AssertionSpec rule)
    {
        if (rule.Description is { } description) return description;
        return rule.Kind switch
        {
            AssertionKind.AnyOf => $"needs {string.Join(", or ", rule.Children.Select(Describe))}.",
            AssertionKind.OneOf => $"needs exactly one of: {string.Join("; ", rule.Children.Select(Describe))}.",
            _ => $"must not have {Describe(rule.Children[0])}.",
        };
    }

    private static string Describe(AssertionSpec rule) => rule.Description ?? rule.Kind switch
    {
        AssertionKind.Required => Names.Listing(rule.Required, "and"),
        AssertionKind.Not => "no " + Describe(rule.Children[0]),
        AssertionKind.AnyOf => string.Join(" or ", rule.Children.Select(Describe)),
        AssertionKind.OneOf => "exactly one of " + string.Join(" or ", rule.Children.Select(Describe)),
        _ => string.Join(" and ", rule.Children.Select(Describe)),
    };

    public string Missing(string jsonName) => $"(_present & {Bit(jsonName)}) == 0";

    public string Bit(string jsonName)
    {
        var index = IndexOf(jsonName);
        return $"(1UL << {index})";
    }

    public string Mask(IEnumerable<string> jsonNames)
    {
        ulong mask = 0;
        foreach (var name in jsonNames) mask |= 1UL << IndexOf(name);
        return $"0x{mask:X}UL";
    }

    private int IndexOf(string jsonName)
    {
        for (var i = 0; i < _spec.Properties.Count; i++)
            if (_spec.Properties[i].JsonName == jsonName) return i;
        throw new System.InvalidOperationException($"'{jsonName}' is not a property of '{_spec.Name}'.");
    }
}
