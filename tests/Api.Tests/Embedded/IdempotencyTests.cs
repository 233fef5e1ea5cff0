using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Embedded;

/// <summary>Idempotency-Key on create: a repeat answers the first response; another body is a conflict.</summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class IdempotencyTests(InProcessService service)
{
    private SourcesClient Api => service.Client;

    [Fact]
    public async Task The_same_key_and_body_answer_the_first_response_and_create_one_source()
    {
        var (key, marker) = (Guid.NewGuid().ToString(), $"idem-{Guid.NewGuid():N}");
        var body = SourceBodies.Valid("MYSQL");
        body["account_name"] = marker;

        var first = await Api.Create(body, key);
        var second = await Api.Create(body, key);
        var third = await Api.Create(body, key);

        var id = first.CreatedId();
        foreach (var repeat in new[] { second, third })
        {
            Assert.Equal(first.Status, repeat.Status);
            Assert.Equal(first.Text, repeat.Text);
            Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        }
        Assert.Equal(id, Assert.Single(await Api.ListAll(), v => v.AccountName == marker).Id);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_409_and_creates_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var (firstMarker, otherMarker) = ($"idem-{Guid.NewGuid():N}", $"idem-{Guid.NewGuid():N}");
        var body = SourceBodies.Valid("CLICKHOUSE");
        body["account_name"] = firstMarker;
        (await Api.Create(body, key)).Expect(201);

        body["account_name"] = otherMarker;
        (await Api.Create(body, key)).Problem(409);

        var names = (await Api.ListAll()).Select(v => v.AccountName).ToList();
        Assert.Single(names, n => n == firstMarker);
        Assert.DoesNotContain(otherMarker, names);
    }

    [Fact]
    public async Task Without_a_key_or_with_another_key_each_request_creates()
    {
        var body = SourceBodies.Valid("FILE");
        var ids = new List<long>
        {
            (await Api.Create(body)).CreatedId(),
            (await Api.Create(body)).CreatedId(),
            (await Api.Create(body, Guid.NewGuid().ToString())).CreatedId(),
            (await Api.Create(body, Guid.NewGuid().ToString())).CreatedId(),
        };

        Assert.Equal(4, ids.Distinct().Count());
    }

    [Fact]
    public async Task A_create_refused_as_invalid_does_not_hold_its_key()
    {
        var key = Guid.NewGuid().ToString();
        var invalid = SourceBodies.Valid("MCP");
        invalid["base_url"] = "ftp://nowhere";
        (await Api.Create(invalid, key)).Problem(400);

        (await Api.Create(SourceBodies.Valid("MCP"), key)).Expect(201);
    }
}
