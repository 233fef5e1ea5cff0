using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sources.Contracts;
using Sources.Contracts.Tests;

namespace Sources.Benchmarks;

/// <summary>
/// One valid request per connection type, as the UTF-8 bytes a client sends: for each type, the
/// first example of <c>sources_create</c>'s request body in the spec that spells it in upper case.
/// </summary>
internal static class Corpus
{
    private static readonly JsonSerializerOptions ClientLike = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[][] Load()
    {
        var requests = SpecDocument.Instance.RequestExamples
            .Select(example => (Type: example.Value["type"]!.GetValue<string>(), example.Value))
            .Where(example => example.Type == example.Type.ToUpperInvariant())
            .GroupBy(example => example.Type)
            .ToDictionary(group => group.Key, group => Encoding.UTF8.GetBytes(group.First().Value.ToJsonString(ClientLike)));

        var missing = CreateSourceRequest.Discriminators.Where(type => !requests.ContainsKey(type)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"The spec has no request example for: {string.Join(", ", missing)}.");
        return CreateSourceRequest.Discriminators.Select(type => requests[type]).ToArray();
    }
}
