using System.Text.Json.Nodes;

namespace Sources.Contracts.Tests;

/// <summary>Request bodies for the hand-written tests: the spec's own examples, copied and then changed.</summary>
internal static class Requests
{
    /// <summary>A fresh copy of the request example <paramref name="name"/> of the spec.</summary>
    public static JsonObject Example(string name) =>
        SpecDocument.Instance.RequestExamples.Single(e => e.Name == name).Value.DeepClone().AsObject();

    public static JsonObject With(this JsonObject body, string name, JsonNode? value)
    {
        body[name] = value;
        return body;
    }

    public static JsonObject Without(this JsonObject body, params string[] names)
    {
        foreach (var name in names) body.Remove(name);
        return body;
    }

    /// <summary>Sets the value at a JSON Pointer of the body (its parent must exist).</summary>
    public static JsonObject At(this JsonObject body, string pointer, JsonNode? value)
    {
        var segments = pointer.Split('/')[1..];
        JsonNode parent = body;
        foreach (var segment in segments[..^1])
            parent = parent is JsonArray list ? list[int.Parse(segment)]! : parent[segment]!;
        if (parent is JsonArray items) items[int.Parse(segments[^1])] = value;
        else parent[segments[^1]] = value;
        return body;
    }

    public static ReadResult<ICreateSourceRequest> Read(JsonNode body) => CreateSourceRequest.Parse(Json.Utf8(body));

    public static ReadResult<ICreateSourceRequest> Read(string json) => CreateSourceRequest.Parse(Json.Utf8(json));

    /// <summary>Asserts the body was refused with exactly one error at each expected place.</summary>
    public static void AssertErrors(ReadResult<ICreateSourceRequest> result, params (string Pointer, string Code)[] expected)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        var actual = result.Errors.Select(e => (e.Pointer, e.Code)).OrderBy(e => e).ToList();
        Assert.True(expected.OrderBy(e => e).SequenceEqual(actual), $"expected {string.Join(", ", expected)}; got {Json.Describe(result.Errors)}");
    }

    public static SchemaError Single(ReadResult<ICreateSourceRequest> result, string pointer, string code)
    {
        AssertErrors(result, (pointer, code));
        return result.Errors[0];
    }

    public static T Valid<T>(ReadResult<ICreateSourceRequest> result) where T : class, ICreateSourceRequest
    {
        Assert.True(result.IsValid, Json.Describe(result.Errors));
        return Assert.IsType<T>(result.Value);
    }
}
