using System.Text.Json.Nodes;
using static Sources.Contracts.Tests.Requests;

namespace Sources.Contracts.Tests;

/// <summary>The spec's rules on arrays, across fields and on formats, each kept and each broken.</summary>
[Trait("Speed", "fast")]
public sealed class RuleTests
{
    private static JsonArray Strings(int count, Func<int, string> text) => new(Enumerable.Range(0, count).Select(i => (JsonNode)text(i)).ToArray());

    [Fact]
    public void File_urls_need_at_least_one_item() =>
        Single(Read(Example("file").With("file_urls", new JsonArray())), "/file_urls", "min_items");

    [Fact]
    public void File_urls_take_at_most_a_hundred()
    {
        var file = Example("file")["file_urls"]![0]!;
        var files = new JsonArray(Enumerable.Range(0, 101).Select(_ => file.DeepClone()).ToArray());

        Single(Read(Example("file").With("file_urls", files.DeepClone())), "/file_urls", "max_items");
        files.RemoveAt(0);
        Assert.True(Read(Example("file").With("file_urls", files)).IsValid);
    }

    [Theory]
    [InlineData("postgres", "selected_schemas")]
    [InlineData("mcp", "selected_tools")]
    [InlineData("bigquery", "selected_datasets")]
    public void Selections_are_unique_and_at_most_a_thousand(string example, string property)
    {
        Single(Read(Example(example).With(property, new JsonArray("a", "b", "a"))), "/" + property, "unique_items");
        Assert.True(Read(Example(example).With(property, new JsonArray("a", "A"))).IsValid);
        Assert.True(Read(Example(example).With(property, new JsonArray())).IsValid);
        Assert.True(Read(Example(example).With(property, Strings(1000, i => $"s{i}"))).IsValid);
        Single(Read(Example(example).With(property, Strings(1001, i => $"s{i}"))), "/" + property, "max_items");
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("mssql")]
    public void Connection_string_or_host_user_and_database(string example)
    {
        string[] separate = ["hostname", "username", "database_name"];
        var body = Example(example);
        var connectionString = Example(example + "_connection_string")["connection_string"]!.GetValue<string>();

        Assert.True(Read(body.DeepClone()).IsValid);
        Assert.True(Read(body.DeepClone().AsObject().Without(separate).With("connection_string", connectionString)).IsValid);
        Assert.True(Read(body.DeepClone().AsObject().With("connection_string", connectionString)).IsValid);
        Single(Read(body.DeepClone().AsObject().Without(separate)), "", "any_of");
        foreach (var missing in separate)
        {
            var error = Single(Read(body.DeepClone().AsObject().Without(missing)), "", "any_of");
            Assert.Contains("connection_string", error.Message);
        }
    }

    [Theory]
    [InlineData("password", "public_key")]
    [InlineData("password", "private_key")]
    [InlineData("public_key", "private_key")]
    public void Snowflake_takes_at_most_one_of_password_public_key_and_private_key(string first, string second)
    {
        var body = Example("snowflake_key_pair").With(first, Credential(first)).With(second, Credential(second));

        var error = Single(Read(body), "", "not");

        Assert.Contains("At most one", error.Message);
        Assert.True(Read(body.Without(first)).IsValid);
    }

    [Fact]
    public void Snowflake_passphrase_needs_a_private_key()
    {
        var body = Example("snowflake_key_pair").With("private_key_passphrase", "secret");

        var error = Single(Read(body), "", "any_of");

        Assert.Contains("passphrase", error.Message);
        Assert.True(Read(body.With("private_key", Credential("private_key"))).IsValid);
        Single(Read(body.With("password", "p")), "", "not");
    }

    [Fact]
    public void Snowflake_private_key_is_pem() =>
        Single(Read(Example("snowflake_key_pair").With("private_key", "MIIEvQIBADANBg")), "/private_key", "pattern");

    [Theory]
    [InlineData("mongodb://host/db", null)]
    [InlineData("mongodb+srv://cluster0.example.net/app", null)]
    [InlineData("postgres://host/db", "pattern")]
    [InlineData("MONGODB://host/db", "pattern")]
    [InlineData(" mongodb://host/db", "pattern")]
    [InlineData("mongodb:/", "min_length")]
    public void Mongodb_connection_string_starts_with_its_scheme(string value, string? code)
        => Verdict(Read(Example("mongodb").With("connection_string", value)), "/connection_string", code);

    [Theory]
    [InlineData("https://mcp.example.com/mcp", null)]
    [InlineData("http://localhost:8080/sse", null)]
    [InlineData("HTTPS://MCP.EXAMPLE.COM/", null)]
    [InlineData("ftp://mcp.example.com/mcp", "pattern")]
    [InlineData("mcp.example.com/mcp", "pattern")]
    [InlineData("http:/x", "min_length")]
    public void Mcp_base_url_is_http_or_https(string value, string? code)
        => Verdict(Read(Example("mcp").With("base_url", value)), "/base_url", code);

    [Fact]
    public void Mcp_base_url_must_also_be_a_uri()
    {
        var error = Single(Read(Example("mcp").With("base_url", "https://mcp example.com")), "/base_url", "format");
        Assert.Contains("URI", error.Message);
    }

    [Fact]
    public void Bigquery_key_is_an_object_or_a_string_holding_one()
    {
        var key = Example("bigquery")["service_account_key"]!;
        Assert.True(Read(Example("bigquery").With("service_account_key", Json.Text(key))).IsValid);
        Single(Read(Example("bigquery").With("service_account_key", 42)), "/service_account_key", "type");
        Single(Read(Example("bigquery").At("/service_account_key/type", "user")), "/service_account_key/type", "enum");
        Single(Read(Example("bigquery").At("/service_account_key/client_email", "no-at-sign")), "/service_account_key/client_email", "pattern");
    }

    /// <summary>Accepted when <paramref name="code"/> is null, else refused with (at least) that error.</summary>
    private static void Verdict(ReadResult<ICreateSourceRequest> result, string pointer, string? code)
    {
        if (code is null) Assert.True(result.IsValid, Json.Describe(result.Errors));
        else Assert.Contains(result.Errors, e => e.Pointer == pointer && e.Code == code);
    }

    private static string Credential(string name) => name switch
    {
        "private_key" => SpecDocument.Instance.RequestExamples.Single(e => e.Name == "bigquery").Value["service_account_key"]!["private_key"]!.GetValue<string>(),
        _ => "s3cret-" + name,
    };
}
