using System.Collections.Generic;

namespace Sources.Generators.Parsing;

/// <summary>
/// The keywords the generator understands in each position. Anything else (other than
/// annotations and <c>x-</c> extensions) is reported, never ignored: a constraint the
/// generated validator would silently drop is a contract that lies.
/// </summary>
internal static class Keywords
{
    public static readonly HashSet<string> Annotations = new()
    {
        "description", "title", "example", "examples", "deprecated", "readOnly", "writeOnly", "externalDocs", "xml",
    };

    public static readonly HashSet<string> Object = new()
    {
        "type", "properties", "required", "additionalProperties", "anyOf", "oneOf", "allOf", "not",
    };

    public static readonly HashSet<string> Value = new()
    {
        "type", "format", "minLength", "maxLength", "pattern", "enum", "minimum", "maximum",
        "minItems", "maxItems", "uniqueItems", "items", "$ref", "oneOf", "default", "nullable", "additionalProperties",
    };

    public static readonly HashSet<string> Assertion = new() { "required", "not", "anyOf", "oneOf", "allOf" };

    /// <summary>The extension that marks a property deciding where a probe goes or as whom it signs in.</summary>
    public const string LocatesSource = "x-locates-source";

    /// <summary>
    /// The extension holding an object's rules across fields, in the grammar of its own
    /// <c>anyOf</c>, <c>oneOf</c>, <c>allOf</c> and <c>not</c>. Client generators (openapi-typescript
    /// among them) turn those keywords at object level into <c>unknown</c>; under an extension they
    /// see a plain object, and the generated reader checks the rules all the same.
    /// </summary>
    public const string PresenceRules = "x-presence-rules";

    public static bool IsIgnorable(string key) => Annotations.Contains(key) || key.StartsWith("x-", System.StringComparison.Ordinal);
}
