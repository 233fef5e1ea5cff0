using System.Text.Json.Nodes;
using static Sources.Contracts.Tests.Requests;

namespace Sources.Contracts.Tests;

/// <summary>
/// Where NJsonSchema and the JSON Schema standard differ, so the differential corpus keeps such
/// inputs out (see ValueVariants): here the generated reader is held to the standard on each,
/// and NJsonSchema is shown to judge it the other way, which is why it cannot be the oracle there.
/// </summary>
[Trait("Speed", "fast")]
public sealed class OracleGapTests
{
    public sealed record Gap(string Why, string Example, string Pointer, string Value, string? Code)
    {
        public override string ToString() => $"{Why}: {Pointer} = {Json.Text(JsonValue.Create(Value))}";
    }

    private const string Newline = "ECMA-262 $ does not match before a final line feed";
    private const string CodePoints = "length counts code points, not UTF-16 units";
    private const string Spaces = "ECMA-262 \\s has U+FEFF and lacks U+0085";
    private const string Rfc3986 = "format uri is RFC 3986, not .NET's Uri";

    public static TheoryData<Gap> Gaps() =>
    [
        new(Newline, "file", "/file_urls/0/filename", "orders.csv\n", "pattern"),
        new(Newline, "snowflake_password", "/account", "myorg-myaccount\n", "pattern"),
        new(Newline, "motherduck", "/database_name", "my_db\n", "pattern"),
        new(Newline, "motherduck", "/token", "a.b.c\n", "pattern"),
        new(Newline, "bigquery", "/selected_datasets/0", "events\n", "pattern"),
        new(Newline, "bigquery", "/service_account_key/client_email", "reader@my-project\n", "pattern"),
        new(CodePoints, "postgres", "/account_name", string.Concat(Enumerable.Repeat("😀", 255)), null),
        new(CodePoints, "bigquery", "/service_account_key", "😀", "min_length"),
        new(Spaces, "bigquery", "/service_account_key/client_email", "reader\uFEFF@my-project", "pattern"),
        new(Spaces, "bigquery", "/service_account_key/client_email", "reader\u0085@my-project", null),
        new(Rfc3986, "file", "/file_urls/0/url", "https://files.example.com/my orders.csv", "format"),
        new(Rfc3986, "file", "/file_urls/0/url", "https://files.example.com/%zz.csv", "format"),
        new(Rfc3986, "mcp", "/base_url", "https://mcp.example.com/<mcp>", "format"),
        new(Rfc3986, "mcp", "/base_url", "https://mcp.example.com:99999/mcp", null),
        new(Rfc3986, "bigquery", "/service_account_key/token_uri", "C:\\keys\\token", "format"),
        new(Rfc3986, "bigquery", "/service_account_key/token_uri", "https://oauth2.googleapis.com/tökén", "format"),
    ];

    [Theory]
    [MemberData(nameof(Gaps))]
    public void Generated_reader_follows_the_standard(Gap gap)
    {
        var result = Read(Example(gap.Example).At(gap.Pointer, gap.Value));

        if (gap.Code is null) Assert.True(result.IsValid, Json.Describe(result.Errors));
        else Single(result, gap.Pointer, gap.Code);
    }

    [Theory]
    [MemberData(nameof(Gaps))]
    public void NJsonSchema_judges_it_the_other_way(Gap gap)
    {
        var body = Json.FoldType(Example(gap.Example).At(gap.Pointer, gap.Value));

        var accepted = NJsonSchemaOracle.Instance.Validate(Json.Text(body)).Count == 0;

        Assert.Equal(gap.Code is not null, accepted);
    }

    [Fact]
    public void NJsonSchema_cannot_judge_an_integer_past_a_long_but_the_reader_can()
    {
        var body = Example("postgres").With("port", JsonNode.Parse("99999999999999999999"));

        Assert.Throws<InvalidCastException>(() => NJsonSchemaOracle.Instance.Validate(Json.Text(body)));
        Single(Read(body), "/port", "maximum");
    }

    [Theory]
    [InlineData("/oauth2/token")]
    [InlineData("oauth2.googleapis.com/token")]
    public void A_relative_reference_is_no_uri_on_any_platform(string value) =>
        Single(Read(Example("bigquery").At("/service_account_key/token_uri", value)), "/service_account_key/token_uri", "format");

    [Theory]
    [InlineData("https://example.com", true)]
    [InlineData("https://", true)]
    [InlineData("urn:isbn:0451450523", true)]
    [InlineData("mailto:someone@example.com", true)]
    [InlineData("http://[::1]:8080/x", true)]
    [InlineData("http://[v1.fe]/", true)]
    [InlineData("https://user:pw@example.com:443/a%20b;c?q=1&r=/x?#frag/?", true)]
    [InlineData("foo:bar", true)]
    [InlineData("", false)]
    [InlineData("/relative", false)]
    [InlineData("C:\\x", false)]
    [InlineData("1http://x", false)]
    [InlineData("https://exa mple.com", false)]
    [InlineData("https://example.com/a\"b", false)]
    [InlineData("https://example.com/é", false)]
    [InlineData("https://example.com/#a#b", false)]
    [InlineData("https://[::1", false)]
    [InlineData("http://[1.2.3.4]/", false)]
    [InlineData("http://[fe80::1%eth0]/", false)]
    [InlineData("https://example.com:80a/", false)]
    public void Uri_format_is_RFC_3986(string value, bool isUri) =>
        Assert.Equal(isUri, JsonValues.IsAbsoluteUri(value));
}
