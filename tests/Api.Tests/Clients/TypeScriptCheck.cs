using System.Text;
using System.Text.Json.Nodes;

namespace Sources.Api.Tests.Clients;

/// <summary>
/// A TypeScript file of values, each given a type of the generated client: JSON that must fit
/// its type, and JSON that must not (marked <c>@ts-expect-error</c>, so tsc fails if it fits).
/// Every type is first checked not to be <c>unknown</c>, which anything fits.
/// </summary>
internal sealed class TypeScriptCheck(string typesModule)
{
    private readonly StringBuilder _body = new();
    private int _count;

    public int Fits { get; private set; }
    public int Misfits { get; private set; }

    /// <summary>The type of an operation's request body.</summary>
    public static string RequestBody(string path, string method) =>
        $"NonNullable<paths[\"{path}\"][\"{method}\"][\"requestBody\"]>[\"content\"][\"application/json\"]";

    /// <summary>The type of an operation's answer of <paramref name="status"/> in <paramref name="media"/>.</summary>
    public static string Answer(string path, string method, int status, string media = "application/json") =>
        $"paths[\"{path}\"][\"{method}\"][\"responses\"][{status}][\"content\"][\"{media}\"]";

    /// <summary>A component schema's type.</summary>
    public static string Schema(string name) => $"components[\"schemas\"][\"{name}\"]";

    public void Fit(string what, string type, JsonNode value)
    {
        Fits++;
        Line(what, type, value, expectError: false);
    }

    public void Misfit(string what, string type, JsonNode value)
    {
        Misfits++;
        Line(what, type, value, expectError: true);
    }

    private void Line(string what, string type, JsonNode value, bool expectError)
    {
        var name = $"v{++_count}";
        _body.Append("// ").AppendLine(what.ReplaceLineEndings(" "));
        if (expectError) _body.AppendLine("// @ts-expect-error");
        // One line per value: @ts-expect-error covers the next line only.
        _body.AppendLine($"export const {name}: Typed<{type}> = {value.ToJsonString()};");
    }

    public string Text() => $$"""
        import type { components, paths } from "./{{typesModule}}";

        /** The type itself, or never when it is unknown: an untyped value would fit anything. */
        type Typed<T> = unknown extends T ? never : T;

        {{_body}}
        """;
}
