using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>
/// The password path, as Snowflake's drivers take it: POST /session/v1/login-request gives a
/// session token, and statements go to /queries/v1/query-request under
/// <c>Authorization: Snowflake Token="..."</c>. Both answer HTTP 200 with success:false and an
/// error code when they refuse.
/// </summary>
public sealed class SnowflakeLogin(HttpClient http, Uri baseUrl, string token) : ISnowflakeSession
{
    /// <summary>The server version the login answered with, when it did.</summary>
    public string? ServerVersion { get; private init; }

    public static async Task<SnowflakeLogin> SignIn(HttpClient http, Uri baseUrl, string account, string user, string password, string? warehouse, CancellationToken cancellation)
    {
        var query = warehouse is null ? "" : "?warehouse=" + Uri.EscapeDataString(warehouse);
        var body = new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["CLIENT_APP_ID"] = "Sources",
                ["CLIENT_APP_VERSION"] = "1.0",
                ["ACCOUNT_NAME"] = SnowflakeAccount.ForJwt(account),
                ["LOGIN_NAME"] = user,
                ["PASSWORD"] = password,
            },
        };
        var data = await Send(http, new Uri(baseUrl, "session/v1/login-request" + query), body, null, cancellation);
        var token = SnowflakeJson.Text(data?["token"]) ?? throw new SnowflakeException(200, null, null);
        return new SnowflakeLogin(http, baseUrl, token) { ServerVersion = SnowflakeJson.Text(data?["serverVersion"]) };
    }

    public async Task<SnowflakeRows> Query(string sql, CancellationToken cancellation)
    {
        var body = new JsonObject { ["sqlText"] = sql, ["asyncExec"] = false, ["sequenceId"] = 1 };
        var data = await Send(http, new Uri(baseUrl, "queries/v1/query-request?requestId=" + Guid.NewGuid()), body, token, cancellation);
        return SnowflakeRows.From(data?["rowtype"]?.AsArray(), data?["rowset"]?.AsArray());
    }

    private static async Task<JsonNode?> Send(HttpClient http, Uri url, JsonObject body, string? token, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("sources", "1.0"));
        if (token is not null)
            request.Headers.TryAddWithoutValidation("Authorization", $"Snowflake Token=\"{token}\"");
        using var response = await http.SendAsync(request, cancellation);
        var json = await SnowflakeJson.Read(response, cancellation);
        if (!response.IsSuccessStatusCode || !(json?["success"] is JsonValue success && success.TryGetValue<bool>(out var ok) && ok))
            throw new SnowflakeException((int)response.StatusCode, SnowflakeJson.Text(json?["code"]), SnowflakeJson.Text(json?["data"]?["sqlState"]));
        return json["data"];
    }
}
