using System.Net.Http.Headers;
using Sources.Api.Tests.Infrastructure;

namespace Sources.Api.Tests.Embedded;

/// <summary>Only a live API key gets in; everything else is a 401 problem that names the Bearer scheme.</summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class AuthenticationTests(InProcessService service)
{
    public static TheoryData<string?> BadKeys => new()
    {
        null,
        "",
        "not-a-live-key",
        "sk_0123456789ab_unknownsecret",
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task A_missing_or_unknown_key_is_a_401_with_a_bearer_challenge(string? key)
    {
        var id = await service.Client.CreateOk(SourceBodies.Valid("MONGODB"));
        var stranger = service.Client.WithKey(key);

        foreach (var response in new[]
        {
            await stranger.List(),
            await stranger.Get(id),
            await stranger.Create(SourceBodies.Valid("MONGODB")),
            await stranger.Delete(id),
        })
        {
            response.Problem(401);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        }
        (await service.Client.Get(id)).Expect(200);
    }

    [Fact]
    public async Task A_live_key_under_another_scheme_is_a_401()
    {
        var response = await service.Client.WithKey(null).Send(HttpMethod.Get, SourcesClient.Root,
            configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("Basic", service.Key));

        response.Problem(401);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }
}
