using System.Net;
using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.ClickHouse;

/// <summary>
/// Runs one read-only query over ClickHouse's HTTP interface and reads its FORMAT JSON answer.
/// Credentials travel in the X-ClickHouse-User / X-ClickHouse-Key headers, never in the URL
/// (URLs end up in logs); the database travels as the documented <c>database</c> parameter,
/// never inside the SQL text.
/// </summary>
internal sealed class ClickHouseQueries(HttpClient http, Uri endpoint, string user, string password)
{
    /// <summary>Longest error body read; ClickHouse puts the code at its start.</summary>
    private const int MaxErrorBody = 4096;

    public sealed record ErrorAnswer(HttpStatusCode Status, string? CodeHeader, string Body);

    public sealed record Answer(JsonArray? Rows, ErrorAnswer? Failure);

    public async Task<Answer> Rows(string sql, string? database, CancellationToken cancellation)
    {
        var query = "?query=" + Uri.EscapeDataString(sql + " FORMAT JSON")
            + (database is null ? "" : "&database=" + Uri.EscapeDataString(database));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, query));
        request.Headers.Add("X-ClickHouse-User", user);
        request.Headers.Add("X-ClickHouse-Key", password);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            var code = response.Headers.TryGetValues("X-ClickHouse-Exception-Code", out var values) ? values.FirstOrDefault() : null;
            return new Answer(null, new ErrorAnswer(response.StatusCode, code, await Start(response, cancellation)));
        }
        var json = await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(cancellation), cancellationToken: cancellation);
        return new Answer(json?["data"] as JsonArray ?? throw new System.Text.Json.JsonException("No data in the answer."), null);
    }

    private static async Task<string> Start(HttpResponseMessage response, CancellationToken cancellation)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellation);
        var buffer = new byte[MaxErrorBody];
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellation);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }
}
