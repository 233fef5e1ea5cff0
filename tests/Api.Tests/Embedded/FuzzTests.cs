using System.Net.Http.Headers;
using System.Text;
using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Embedded;

/// <summary>
/// Raw bytes at every route: valid bodies cut short, flipped, spliced and wrapped; odd ids,
/// cursors, content types and authorization headers. Whatever arrives, the answer is never a 5xx.
/// Seeded, so a failure repeats; bounded in count.
/// </summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class FuzzTests(InProcessService service)
{
    private const int Requests = 600;
    private SourcesClient Api => service.Client;

    [Fact]
    public async Task No_mangled_request_to_any_route_answers_a_5xx()
    {
        var id = await Api.CreateOk(SourceBodies.Valid("POSTGRES"));
        var random = new Random(20261201);
        var seeds = SourceBodies.Types.Select(t => Encoding.UTF8.GetBytes(SourceBodies.Valid(t).ToJsonString())).ToArray();
        string[] routes =
        [
            SourcesClient.Root, $"{SourcesClient.Root}{id}/", $"{SourcesClient.Root}{id}/update-config/", $"{SourcesClient.Root}{id}/test/",
            $"{SourcesClient.Root}test/", $"{SourcesClient.Root}snowflake/key-pairs/", $"{SourcesClient.Root}-1/",
            $"{SourcesClient.Root}99999999999999999999/", $"{SourcesClient.Root}?cursor=%00%ff&limit=-5", $"{SourcesClient.Root}?type=%F0%9F&status=x",
        ];
        HttpMethod[] methods = [HttpMethod.Post, HttpMethod.Patch, HttpMethod.Get, HttpMethod.Delete, HttpMethod.Put];
        string?[] mediaTypes = ["application/json", "application/json; charset=latin1", "application/merge-patch+json", "text/plain", null];

        for (var i = 0; i < Requests; i++)
        {
            var body = Mangle(seeds[random.Next(seeds.Length)], random);
            var method = methods[random.Next(methods.Length)];
            using var content = new ByteArrayContent(body);
            if (mediaTypes[random.Next(mediaTypes.Length)] is { } mediaType)
                content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
            var key = (random.Next(8)) switch
            {
                0 => null,
                1 => "sk_zzzzzzzzzzzz_" + new string('x', 40),
                2 => "sk_" + new string('_', 300),
                _ => service.Key,
            };
            var response = await Api.WithKey(key).Send(method, routes[random.Next(routes.Length)], method == HttpMethod.Get || method == HttpMethod.Delete ? null : content);
            Assert.True(response.Status < 500, $"request {i} answered a 5xx: {response}");
        }
        // The node still serves (the fuzz may have deleted the source it made).
        (await Api.List()).Expect(200);
    }

    private static byte[] Mangle(byte[] seed, Random random)
    {
        var bytes = seed.ToList();
        switch (random.Next(9))
        {
            case 0: return [.. bytes.Take(random.Next(bytes.Count))];                       // cut short
            case 1:
                for (var k = 0; k < 1 + random.Next(4); k++) bytes[random.Next(bytes.Count)] = (byte)random.Next(256); // flipped bytes
                return [.. bytes];
            case 2: return [0xef, 0xbb, 0xbf, .. bytes];                                   // BOM
            case 3: return Encoding.UTF8.GetBytes("{\"type\":\"POSTGRES\",\"port\":" + new string('9', 400) + "}"); // huge number
            case 4: return Encoding.UTF8.GetBytes(new string('{', 2000) + new string('}', 2000)); // deep nesting
            case 5:
                var at = random.Next(1, bytes.Count - 1);
                bytes.InsertRange(at, Encoding.UTF8.GetBytes(",\"type\":\"MYSQL\",\"type\":\"mssql\"")); // duplicate keys spliced in
                return [.. bytes];
            case 6: bytes.Insert(random.Next(bytes.Count), 0xC0); return [.. bytes];         // an invalid UTF-8 lead byte
            case 7: return Encoding.UTF8.GetBytes("{\"account_name\":\"\\udfff\\ud800\",\"selected_schemas\":[\"\\u0000\"]}"); // lone surrogates, NUL
            default: return [.. bytes];
        }
    }
}
