using System.Text.Json.Nodes;
using Sources.Contracts;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// Valid create bodies for each of the eleven types, with every secret (writeOnly) field and every
/// URL query string that is sealed (MCP base_url, FILE file_urls[].url) carrying a given value, shaped so the body still passes the spec's patterns (a JWT's signature part, a PEM
/// body, a password inside a connection string).
/// </summary>
public static class SourceBodies
{
    public static IReadOnlyList<string> Types => CreateSourceRequest.Discriminators;

    /// <summary>Non-secret fields of one valid body per type.</summary>
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["POSTGRES"] = """{"type":"POSTGRES","hostname":"pg.example.com","username":"analyst","database_name":"analytics","selected_schemas":["public","sales"]}""",
        ["MYSQL"] = """{"type":"MYSQL","hostname":"mysql.example.com","username":"app","database_name":"shop"}""",
        ["SNOWFLAKE"] = """{"type":"SNOWFLAKE","account":"xy12345.us-east-1","user":"LOADER","warehouse":"COMPUTE_WH"}""",
        ["BIGQUERY"] = """{"type":"BIGQUERY","selected_datasets":["events"]}""",
        ["MOTHERDUCK"] = """{"type":"MOTHERDUCK","database_name":"my_db"}""",
        ["CLICKHOUSE"] = """{"type":"CLICKHOUSE","host":"ch.example.com","port":8443,"username":"default","database":"logs"}""",
        ["MONGODB"] = """{"type":"MONGODB","account_name":"Mongo"}""",
        ["SINGLESTORE"] = """{"type":"SINGLESTORE","hostname":"s2.example.com","port":3306,"username":"admin","database_name":"metrics"}""",
        ["MSSQL"] = """{"type":"MSSQL","hostname":"sql.example.com","username":"sa","database_name":"master"}""",
        ["MCP"] = """{"type":"MCP","base_url":"https://mcp.example.com/mcp","selected_tools":["echo"]}""",
        ["FILE"] = """{"type":"FILE","file_urls":[{"url":"https://files.example.com/orders.csv","filename":"orders.csv"}]}""",
    };

    /// <summary>
    /// Secrets that can stand in one body together. Snowflake takes one kind of credential at a
    /// time, and a passphrase only with an encrypted key.
    /// </summary>
    private static readonly Dictionary<string, string[][]> SecretGroups = new()
    {
        ["POSTGRES"] = [["password", "connection_string"]],
        ["MYSQL"] = [["password"]],
        ["SNOWFLAKE"] = [["password"], ["private_key"], ["private_key", "private_key_passphrase"]],
        ["BIGQUERY"] = [["service_account_key"]],
        ["MOTHERDUCK"] = [["token"]],
        ["CLICKHOUSE"] = [["password"]],
        ["MONGODB"] = [["connection_string"]],
        ["SINGLESTORE"] = [["password"]],
        ["MSSQL"] = [["password", "connection_string"]],
        ["MCP"] = [["access_token"]],
        ["FILE"] = [[]],
    };

    /// <summary>One valid body of the type, its secrets holding <paramref name="secret"/>.</summary>
    public static JsonObject Valid(string type, string secret = "s3cret") => WithEverySecret(type, secret)[0];

    /// <summary>Valid bodies of the type that between them set every secret field to hold <paramref name="secret"/>.</summary>
    public static IReadOnlyList<JsonObject> WithEverySecret(string type, string secret) =>
        SecretGroups[type].Select(group =>
        {
            var body = SettingsOf(type);
            foreach (var field in group)
                body[field] = SecretValue(type, field, secret, encrypted: group.Contains("private_key_passphrase"));
            PlantInUrlQueries(type, body, secret);
            return body;
        }).ToList();

    /// <summary>A URL's query string is a secret too (a presigned URL's signature, an API key): plant it there.</summary>
    private static void PlantInUrlQueries(string type, JsonObject body, string secret)
    {
        if (type == "MCP")
            body["base_url"] = $"https://mcp.example.com/mcp?api_key={secret}";
        if (type == "FILE")
            body["file_urls"]![0]!["url"] = $"https://files.example.com/orders.csv?X-Amz-Expires=3600&X-Amz-Signature={secret}";
    }

    /// <summary>The non-secret part of the type's body.</summary>
    public static JsonObject SettingsOf(string type) => JsonNode.Parse(Settings[type])!.AsObject();

    /// <summary>A secret field's value with <paramref name="secret"/> inside it, valid for the field's pattern and checks.</summary>
    public static JsonNode SecretValue(string type, string field, string secret, bool encrypted = false) => (type, field) switch
    {
        ("POSTGRES", "connection_string") => $"postgresql://analyst:{secret}@pg.example.com:5432/analytics",
        ("MSSQL", "connection_string") => $"Driver={{ODBC Driver 18 for SQL Server}};Server=sql.example.com,1433;Database=master;Uid=sa;Pwd={secret};Encrypt=yes",
        ("MONGODB", "connection_string") => $"mongodb://reader:{secret}@mongo.example.com/app",
        ("MOTHERDUCK", "token") => $"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.{secret}",
        // A PEM file may carry explanatory text before its key (RFC 7468); the passphrase is the secret itself.
        ("SNOWFLAKE", "private_key") => $"{secret}\n{(encrypted ? TestKeys.EncryptedPem(secret) : TestKeys.Pem)}",
        ("BIGQUERY", "service_account_key") => new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = "my-project",
            ["private_key_id"] = secret,
            ["private_key"] = $"{secret}\n{TestKeys.Pem}",
            ["client_email"] = "reader@my-project.iam.gserviceaccount.com",
            ["token_uri"] = "https://oauth2.googleapis.com/token",
        },
        _ => secret,
    };
}
