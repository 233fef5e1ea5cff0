using System.Text.Json.Nodes;
using static Sources.Contracts.Tests.Requests;

namespace Sources.Contracts.Tests;

/// <summary>Each class of error the reader reports, at the right JSON Pointer with the right code.</summary>
[Trait("Speed", "fast")]
public sealed class ErrorTests
{
    [Fact]
    public void Wrong_json_type_is_reported_at_the_property()
    {
        var error = Single(Read(Example("postgres").With("port", "abc")), "/port", "type");
        Assert.Contains("integer", error.Message);
    }

    [Theory]
    [InlineData("0", "minimum")]
    [InlineData("-1", "minimum")]
    [InlineData("65536", "maximum")]
    [InlineData("2147483648", "maximum")]
    [InlineData("99999999999999999999999999999999", "maximum")]
    [InlineData("-99999999999999999999999999999999", "minimum")]
    public void Number_out_of_range_is_reported_with_its_bound(string port, string code) =>
        Single(Read(Example("postgres").With("port", JsonNode.Parse(port))), "/port", code);

    [Theory]
    [InlineData("5432.5")]
    [InlineData("5432.0")]
    [InlineData("5.432e3")]
    [InlineData("1E2")]
    [InlineData("-0.0")]
    public void Number_with_a_fraction_or_exponent_is_no_integer(string port)
    {
        // OpenAPI 3.0 (Data Types): an integer is "a JSON number without a fraction or exponent part".
        Single(Read(Example("postgres").With("port", JsonNode.Parse(port))), "/port", "type");
    }

    [Fact]
    public void Duplicate_key_is_reported_at_the_second_occurrence()
    {
        var json = """{"type":"MYSQL","hostname":"a","username":"u","password":"p","database_name":"d","hostname":"b"}""";
        Single(Read(json), "/hostname", "duplicate_key");
    }

    [Fact]
    public void Duplicate_type_is_reported_too()
    {
        var json = """{"type":"MONGODB","connection_string":"mongodb://host/db","type":"MONGODB"}""";
        Single(Read(json), "/type", "duplicate_key");
    }

    [Theory]
    [InlineData(31, true)]
    [InlineData(33, false)]
    [InlineData(5000, false)]
    public void Depth_over_the_limit_is_refused_before_anything_else(int depth, bool withinLimit)
    {
        // service_account_key is an object that allows extra fields, so only the depth limit can refuse this.
        var nested = string.Concat(Enumerable.Repeat("[", depth - 2)) + string.Concat(Enumerable.Repeat("]", depth - 2));
        var json = $$$"""{"type":"BIGQUERY","service_account_key":{"type":"service_account","project_id":"p","private_key":"-----BEGIN PRIVATE KEY-----","client_email":"a@b","extra":{{{nested}}}}}""";

        var result = Read(json);

        if (withinLimit) Assert.True(result.IsValid, Json.Describe(result.Errors));
        else Single(result, "", "too_deep");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"type":"MONGODB",}""")]
    [InlineData("""{"type":"MONGODB" "connection_string":"mongodb://h/db"}""")]
    [InlineData("""{"type":'MONGODB'}""")]
    [InlineData("""{"type":"MONGODB","connection_string":"mongodb://h/db"} {}""")]
    [InlineData("""{"type":"MONGODB","connection_string":"mongodb://h/db"}]""")]
    [InlineData("""{"type":"MONGODB","connection_string":"mongodb://h/db\x"}""")]
    public void Malformed_json_is_reported_once_at_the_body(string json) =>
        Single(Read(json), "", "invalid_json");

    [Fact]
    public void Body_that_is_no_object_is_a_type_error()
    {
        foreach (var json in new[] { "[]", "\"POSTGRES\"", "42", "null", "true" })
            Single(Read(json), "", "type");
    }

    [Fact]
    public void Unknown_field_names_the_field_it_probably_meant()
    {
        var body = Example("postgres_connection_string").With("hostnme", "db.example.com");

        var error = Single(Read(body), "/hostnme", "unknown_field");

        Assert.Contains("'hostname'", error.Message);
    }

    [Fact]
    public void Unknown_field_far_from_any_name_gets_no_suggestion()
    {
        var error = Single(Read(Example("mongodb").With("zzzzzzzz", 1)), "/zzzzzzzz", "unknown_field");
        Assert.DoesNotContain("did you mean", error.Message);
    }

    [Fact]
    public void Unknown_type_lists_every_allowed_value()
    {
        var error = Single(Read(Example("postgres").With("type", "ORACLE")), "/type", "discriminator");

        Assert.Contains("ORACLE", error.Message);
        Assert.All(CreateSourceRequest.Discriminators, value => Assert.Contains(value, error.Message));
        Assert.Equal(11, CreateSourceRequest.Discriminators.Count);
    }

    [Fact]
    public void Type_that_is_no_string_is_a_discriminator_error() =>
        Single(Read(Example("postgres").With("type", 5)), "/type", "discriminator");

    [Fact]
    public void Missing_type_is_required()
    {
        var error = Single(Read(Example("postgres").Without("type")), "/type", "required");
        Assert.Contains("POSTGRES", error.Message);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("Postgres")]
    [InlineData("pOsTgReS")]
    public void Type_in_any_letter_case_is_accepted_and_kept_upper_case(string type)
    {
        var value = Valid<PostgresConnectionRequest>(Read(Example("postgres").With("type", type)));
        Assert.Equal("POSTGRES", value.Type);
    }

    [Fact]
    public void Errors_inside_array_items_point_into_the_item()
    {
        var body = Example("file");
        var files = body["file_urls"]!.AsArray();
        files[0]!["url"] = "ftp://files.example.com/orders.csv";
        files.Add(new JsonObject { ["url"] = "https://files.example.com/b.csv" });
        files.Add(new JsonObject { ["url"] = "https://files.example.com/c.csv", ["filename"] = "c.csv", ["size"] = 3 });

        AssertErrors(Read(body),
            ("/file_urls/0/url", "pattern"),
            ("/file_urls/1/filename", "required"),
            ("/file_urls/2/size", "unknown_field"));
    }

    [Fact]
    public void Every_error_is_returned_not_only_the_first()
    {
        var body = Example("postgres")
            .With("port", 0)
            .With("hostname", "")
            .With("selected_schemas", new JsonArray("a", "a", 3))
            .With("account_name", JsonValue.Create(new string('x', 256)))
            .With("colour", "blue");

        AssertErrors(Read(body),
            ("/port", "minimum"),
            ("/hostname", "min_length"),
            ("/selected_schemas/2", "type"),
            ("/selected_schemas", "unique_items"),
            ("/account_name", "max_length"),
            ("/colour", "unknown_field"));
    }
}
