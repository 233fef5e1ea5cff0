using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>
/// Statements through Snowflake's SQL API (POST /api/v2/statements) with a key-pair JWT. An
/// answer of 202 (still running) is followed at its statementStatusUrl until it is done.
/// </summary>
public sealed class SnowflakeSqlApi(HttpClient http, Uri baseUrl, string jwt, string? warehouse, int timeoutSeconds) : ISnowflakeSession
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async Task<SnowflakeRows> Query(string sql, CancellationToken cancellation)
    {
        var body = new JsonObject { ["statement"] = sql, ["timeout"] = timeoutSeconds };
        if (warehouse is not null) body["warehouse"] = warehouse;
        using var request = Request(HttpMethod.Post, new Uri(baseUrl, "api/v2/statements"));
        request.Content = JsonContent.Create(body);
        Reply answer;
        using (var response = await http.SendAsync(request, cancellation))
            answer = await Answer(response, cancellation);
        // Each answer says whether to ask again: the latest one, not the first.
        while (answer.Status == HttpStatusCode.Accepted)
        {
            var status = SnowflakeJson.Text(answer.Json?["statementStatusUrl"])
                ?? throw new SnowflakeException(202, SnowflakeJson.Text(answer.Json?["code"]), null);
            await Task.Delay(PollInterval, cancellation);
            using var poll = Request(HttpMethod.Get, new Uri(baseUrl, status.TrimStart('/')));
            using var polled = await http.SendAsync(poll, cancellation);
            answer = await Answer(polled, cancellation);
        }
        return SnowflakeRows.From(answer.Json?["resultSetMetaData"]?["rowType"]?.AsArray(), answer.Json?["data"]?.AsArray());
    }

    private HttpRequestMessage Request(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jwt);
        request.Headers.Add("X-Snowflake-Authorization-Token-Type", "KEYPAIR_JWT");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("sources", "1.0"));
        return request;
    }

    private sealed record Reply(HttpStatusCode Status, JsonNode? Json);

    /// <summary>The body of a success or a 202; a failure becomes a SnowflakeException with its code.</summary>
    private static async Task<Reply> Answer(HttpResponseMessage response, CancellationToken cancellation)
    {
        var json = await SnowflakeJson.Read(response, cancellation);
        if (response.IsSuccessStatusCode)
            return new Reply(response.StatusCode, json);
        throw new SnowflakeException((int)response.StatusCode, SnowflakeJson.Text(json?["code"]), SnowflakeJson.Text(json?["sqlState"]));
    }
}
