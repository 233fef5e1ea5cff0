using System.Text.Json;
using System.Text.Json.Serialization;
using Sources.Contracts;

namespace Sources.Benchmarks;

/// <summary>The service-account key is an object or a string holding one; plain STJ needs to be told which.</summary>
internal sealed class ServiceAccountKeyValueConverter : JsonConverter<ServiceAccountKeyValue>
{
    public override ServiceAccountKeyValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? new ServiceAccountKeyValue { AsString = reader.GetString() }
            : new ServiceAccountKeyValue { AsObject = JsonSerializer.Deserialize(ref reader, PlainJsonContext.Default.ServiceAccountKey) };

    public override void Write(Utf8JsonWriter writer, ServiceAccountKeyValue value, JsonSerializerOptions options) =>
        value.WriteTo(writer, includeWriteOnly: true);
}
