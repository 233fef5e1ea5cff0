using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Embedded;

/// <summary>Every class of error answers as an RFC 9457 problem with the right status, and none is a 500.</summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class ErrorTests(InProcessService service)
{
    private const int MaxBody = 1024 * 1024;

    private SourcesClient Api => service.Client;

    [Fact]
    public async Task Validation_lists_every_field_error_by_pointer_and_code()
    {
        var problem = (await Api.Create(JsonNode.Parse("""{"type":"MYSQL","port":70000,"bogus":true,"hostname":""}""")!)).Problem(400);

        Assert.Equal(
            [("/bogus", "unknown_field"), ("/database_name", "required"), ("/hostname", "min_length"),
             ("/password", "required"), ("/port", "maximum"), ("/username", "required")],
            problem.Errors!.Select(e => (e.Pointer, e.Code)).Order());
        Assert.All(problem.Errors!, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public async Task An_unknown_type_is_a_400_at_the_type()
    {
        var problem = (await Api.Create(new JsonObject { ["type"] = "ORACLE" })).Problem(400);

        Assert.Equal("/type", Assert.Single(problem.Errors!).Pointer);
    }

    [Theory]
    [InlineData("{\"type\": \"POSTGRES\",\n  \"hostname\": }", "line 2")]
    [InlineData("{\"type\": \"POSTGRES\"", "not valid JSON")]
    [InlineData("", "JSON")]
    public async Task Malformed_json_is_a_400_that_says_where(string body, string says)
    {
        var problem = (await Api.Send(HttpMethod.Post, SourcesClient.Root, SourcesClient.Json(body))).Problem(400);

        var error = Assert.Single(problem.Errors!);
        Assert.Equal("invalid_json", error.Code);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_1_MiB_is_a_413_whether_its_length_is_declared_or_chunked(bool declaredLength)
    {
        var content = new ByteArrayContent(PaddedBody(MaxBody + 1));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var response = await Api.Send(HttpMethod.Post, SourcesClient.Root,
            declaredLength ? content : new ChunkedContent(content));

        response.Problem(413);
    }

    [Fact]
    public async Task A_body_of_exactly_1_MiB_is_read_and_judged_on_its_content()
    {
        var problem = (await Api.Send(HttpMethod.Post, SourcesClient.Root, new ByteArrayContent(PaddedBody(MaxBody))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
        })).Problem(400);

        Assert.Contains(problem.Errors!, e => (e.Pointer, e.Code) == ("/hostname", "max_length"));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task A_body_that_is_not_json_is_a_415(string? mediaType)
    {
        var id = await Api.CreateOk(SourceBodies.Valid("MCP"));
        foreach (var (method, path) in new[] { (HttpMethod.Post, SourcesClient.Root), (HttpMethod.Patch, $"{SourcesClient.Root}{id}/"), (HttpMethod.Patch, $"{SourcesClient.Root}{id}/update-config/") })
        {
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(SourceBodies.Valid("MCP").ToJsonString()));
            content.Headers.ContentType = mediaType is null ? null : new MediaTypeHeaderValue(mediaType);

            (await Api.Send(method, path, content)).Problem(415);
        }
    }

    [Theory]
    [InlineData("/api/v2/sources/")]
    [InlineData("/nothing/here")]
    [InlineData("/api/v1/sources/not-a-number/")]
    [InlineData("/api/v1/sources/1/no-such-action/")]
    [InlineData("/api/v1/sources/99999999999999999999/")]
    public async Task An_unknown_route_is_a_404_problem(string path) =>
        (await Api.Send(HttpMethod.Get, path)).Problem(404);

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        var response = await Api.Send(HttpMethod.Put, SourcesClient.Root, SourcesClient.Json("{}"));

        response.Problem(405);
    }

    [Theory]
    [InlineData(987654321)]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(long.MaxValue)]
    public async Task An_unknown_id_is_a_404_on_every_route(long id)
    {
        (await Api.Get(id)).Problem(404);
        (await Api.Patch(id, new JsonObject { ["account_name"] = "x" })).Problem(404);
        (await Api.UpdateConfig(id, SourceBodies.Valid("MYSQL"))).Problem(404);
        (await Api.Delete(id)).Problem(404);
    }

    [Fact]
    public async Task Odd_requests_never_answer_a_500_or_a_stack_trace()
    {
        var id = await Api.CreateOk(SourceBodies.Valid("POSTGRES"));
        var odd = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Post, SourcesClient.Root, new string('[', 5000) + new string(']', 5000)),
            (HttpMethod.Post, SourcesClient.Root, "[1, 2]"),
            (HttpMethod.Post, SourcesClient.Root, "\"a string\""),
            (HttpMethod.Post, SourcesClient.Root, "null"),
            (HttpMethod.Post, SourcesClient.Root, """{"type":"MYSQL","port":1e400}"""),
            (HttpMethod.Post, SourcesClient.Root, """{"type":"MCP","base_url":"https://a.example.com/","base_url":"https://b.example.com/"}"""),
            (HttpMethod.Post, SourcesClient.Root, """{"type":12}"""),
            (HttpMethod.Post, SourcesClient.Root, """{"type":"POSTGRES"} {"more":1}"""),
            (HttpMethod.Patch, $"{SourcesClient.Root}{id}/", "[]"),
            (HttpMethod.Patch, $"{SourcesClient.Root}{id}/", """{"account_name":"a","account_name":"b"}"""),
            (HttpMethod.Patch, $"{SourcesClient.Root}{id}/", """{"type":"MYSQL"}"""),
            (HttpMethod.Patch, $"{SourcesClient.Root}{id}/update-config/", "{}"),
            (HttpMethod.Get, $"{SourcesClient.Root}?limit=abc&cursor=-1", null),
            (HttpMethod.Get, $"{SourcesClient.Root}?limit=101", null),
        };
        foreach (var (method, path, body) in odd)
        {
            var response = await Api.Send(method, path, body is null ? null : SourcesClient.Json(body));

            Assert.True(response.Status is >= 400 and < 500, $"expected a refusal: {response}");
            response.Problem(response.Status);
        }
        var invalidUtf8 = new ByteArrayContent([.. "{\"type\":\"MYSQL\",\"hostname\":\""u8, 0xff, 0xfe, .. "\"}"u8]);
        invalidUtf8.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        (await Api.Send(HttpMethod.Post, SourcesClient.Root, invalidUtf8)).Problem(400);
        (await Api.Get(id)).Expect(200);
    }

    [Fact]
    public async Task Bodies_that_are_not_valid_unicode_are_a_400_on_every_route_that_reads_json()
    {
        var id = await Api.CreateOk(SourceBodies.Valid("POSTGRES"));
        byte[][] bodies =
        [
            [.. "{\"account_name\":\""u8, 0xff, 0xfe, .. "\"}"u8],   // invalid UTF-8 inside a string
            [.. "{\"account_name\":\"\\ud800\"}"u8],                // a lone surrogate
            [.. "{\"acc"u8, 0xc3, .. "ount_name\":\"x\"}"u8],        // invalid UTF-8 inside a name
            [0xef, 0xbb, 0xbf, .. "{\"account_name\":\"x\"}"u8],     // a byte order mark
        ];
        var routes = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Patch, $"{SourcesClient.Root}{id}/"),
            (HttpMethod.Patch, $"{SourcesClient.Root}{id}/update-config/"),
            (HttpMethod.Post, SourcesClient.Root),
            (HttpMethod.Post, SourcesClient.Root + "test/"),
            (HttpMethod.Post, SourcesClient.Root + "snowflake/key-pairs/"),
        };
        foreach (var (method, path) in routes)
            foreach (var body in bodies)
            {
                var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var response = await Api.Send(method, path, content);
                Assert.True(response.Status is 400, $"expected a 400: {response}");
                response.Problem(400);
            }

        var patched = new ByteArrayContent([.. "{\"account_name\":\""u8, 0xff, .. "\"}"u8]);
        patched.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var problem = (await Api.Send(HttpMethod.Patch, $"{SourcesClient.Root}{id}/", patched)).Problem(400);
        Assert.Contains(problem.Errors!, e => e.Pointer == "/account_name");
        (await Api.Get(id)).Expect(200);
    }

    [Fact]
    public void No_answer_so_far_was_a_500_or_showed_a_stack_frame() =>
        AnswerScan.AssertNoServerErrorOrStackFrame(service.Transcript, service.Node);

    /// <summary>A POSTGRES create body of exactly <paramref name="size"/> bytes, padded in the hostname.</summary>
    private static byte[] PaddedBody(int size)
    {
        const string head = "{\"type\":\"POSTGRES\",\"hostname\":\"", tail = "\"}";
        return Encoding.ASCII.GetBytes(head + new string('a', size - head.Length - tail.Length) + tail);
    }

    /// <summary>Sends its inner content with no declared length, so the request goes chunked.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly HttpContent _inner;

        public ChunkedContent(HttpContent inner)
        {
            _inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => _inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
