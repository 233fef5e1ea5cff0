using System.Text.Json;
using Sources.Contracts;

namespace Sources.Benchmarks;

/// <summary>
/// The baseline: bytes to the generated types by plain System.Text.Json, no validation. It picks
/// the type as the generated reader does (look ahead for <c>type</c>, any letter case), then
/// deserializes the whole object as that type.
/// </summary>
internal static class PlainJsonReader
{
    public static ICreateSourceRequest? Read(ReadOnlySpan<byte> utf8) =>
        Discriminator(utf8) is { } type && CreateSourceRequest.TypeFor(type) is { } shape
            ? (ICreateSourceRequest?)JsonSerializer.Deserialize(utf8, shape, PlainJsonContext.Default)
            : null;

    private static string? Discriminator(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
                return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString()!.ToUpperInvariant() : null;
            reader.Read();
            reader.Skip();
        }
        return null;
    }
}
