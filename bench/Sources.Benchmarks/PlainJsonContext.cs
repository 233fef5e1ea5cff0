using System.Text.Json.Serialization;
using Sources.Contracts;

namespace Sources.Benchmarks;

/// <summary>System.Text.Json source-generated metadata for the generated request types: the
/// baseline reads them with no validation at all (their properties carry [JsonPropertyName]).</summary>
[JsonSourceGenerationOptions(Converters = [typeof(ServiceAccountKeyValueConverter)])]
[JsonSerializable(typeof(PostgresConnectionRequest))]
[JsonSerializable(typeof(MySQLConnectionRequest))]
[JsonSerializable(typeof(SnowflakeConnectionRequest))]
[JsonSerializable(typeof(BigQueryConnectionRequest))]
[JsonSerializable(typeof(ServiceAccountKey))]
[JsonSerializable(typeof(MotherDuckConnectionRequest))]
[JsonSerializable(typeof(ClickHouseConnectionRequest))]
[JsonSerializable(typeof(MongoDBConnectionRequest))]
[JsonSerializable(typeof(SingleStoreConnectionRequest))]
[JsonSerializable(typeof(MSSQLConnectionRequest))]
[JsonSerializable(typeof(MCPConnectionRequest))]
[JsonSerializable(typeof(FileUploadConnectionRequest))]
internal sealed partial class PlainJsonContext : JsonSerializerContext;
