using System.Globalization;
using System.Text.Json.Nodes;
using Sources.Contracts;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>What a source's view must show of the body that created it, and what it must never show.</summary>
public static class SourceAssertions
{
    public static void ShowsBody(SourceView view, JsonObject body, long id)
    {
        var type = body["type"]!.GetValue<string>().ToUpperInvariant();
        var secretNames = CreateSourceRequest.WriteOnlyPropertiesFor(type);
        var settings = JsonNode.Parse(view.Settings.GetRawText())!.AsObject();

        Assert.Equal(id, view.Id);
        Assert.Equal(type, view.Type);
        Assert.False(string.IsNullOrEmpty(view.AccountName));
        if (body["account_name"] is { } name)
            Assert.Equal(name.GetValue<string>(), view.AccountName);
        foreach (var (field, value) in body)
        {
            if (secretNames.Contains(field))
                Assert.False(settings.ContainsKey(field), $"settings show the secret field {field}");
            else if (field == "type")
                Assert.Equal(type, settings["type"]?.GetValue<string>());
            else
                Assert.True(JsonNode.DeepEquals(SealedUrls.AsShown(type, field, value), settings[field]), $"settings.{field} is {settings[field]?.ToJsonString()}, sent {value?.ToJsonString()}");
        }
        Assert.Equal(body.Select(p => p.Key).Where(secretNames.Contains).Concat(SealedUrls.Names(type, body)).Order(), view.SecretsSet.Order());
        AssertTime(view.CreatedAt);
        AssertTime(view.UpdatedAt);
    }

    /// <summary>Reads the source through the client and checks it against the body.</summary>
    public static async Task ReadsBack(SourcesClient client, long id, JsonObject body, string secret)
    {
        var response = await client.Get(id);
        ShowsBody(response.View(), body, id);
        Assert.DoesNotContain(secret, response.Text, StringComparison.Ordinal);
    }

    /// <summary>Creates one source of every type through <paramref name="writer"/> and reads each back
    /// through <paramref name="reader"/>; returns the ids by type.</summary>
    public static async Task<Dictionary<string, long>> CreateEveryType(SourcesClient writer, SourcesClient reader)
    {
        var secret = $"pw{Guid.NewGuid():N}";
        var ids = new Dictionary<string, long>();
        foreach (var type in SourceBodies.Types)
        {
            var body = SourceBodies.Valid(type, secret);
            var created = await writer.Create(body);
            Assert.DoesNotContain(secret, created.Text, StringComparison.Ordinal);
            ids[type] = created.CreatedId();
        }
        foreach (var type in SourceBodies.Types)
            await ReadsBack(reader, ids[type], SourceBodies.Valid(type, secret), secret);
        Assert.Equal(SourceBodies.Types.Count, ids.Values.Distinct().Count());
        return ids;
    }

    private static void AssertTime(string rfc3339) =>
        Assert.True(DateTimeOffset.TryParseExact(rfc3339, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out _), $"not an RFC 3339 time: {rfc3339}");
}
