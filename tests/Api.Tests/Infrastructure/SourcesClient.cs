using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Sources.Contracts;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>
/// The sources API as one account sees it through one node, a child process or in-process: an API
/// key (or none) and the node's current address. Every answer is added to the transcript.
/// </summary>
public sealed class SourcesClient(IServiceNode node, string? apiKey, Transcript transcript)
{
    public const string Root = "/api/v1/sources/";

    public IServiceNode Node => node;

    /// <summary>The same account through another node, or another key on this node.</summary>
    public SourcesClient Through(IServiceNode other) => new(other, apiKey, transcript);

    public SourcesClient WithKey(string? key) => new(node, key, transcript);

    public Task<ApiResponse> Create(JsonNode body, string? idempotencyKey = null) =>
        Send(HttpMethod.Post, Root, Json(body), idempotencyKey is null ? null : r => r.Headers.Add("Idempotency-Key", idempotencyKey));

    public Task<ApiResponse> Get(long id) => Send(HttpMethod.Get, Path(id));

    public Task<ApiResponse> List(string query = "") => Send(HttpMethod.Get, Root + query);

    public Task<ApiResponse> Patch(long id, JsonNode body) => Send(HttpMethod.Patch, Path(id), Json(body));

    public Task<ApiResponse> UpdateConfig(long id, JsonNode body) => Send(HttpMethod.Patch, Path(id) + "update-config/", Json(body));

    public Task<ApiResponse> Delete(long id) => Send(HttpMethod.Delete, Path(id));

    /// <summary>Checks the source now: <c>POST /{id}/test/</c>.</summary>
    public Task<ApiResponse> Test(long id) => Send(HttpMethod.Post, Path(id) + "test/");

    /// <summary>Creates and asserts the 201; returns the new id.</summary>
    public async Task<long> CreateOk(JsonNode body) => (await Create(body)).CreatedId();

    /// <summary>
    /// Reads the source until its first check has finished (its status is no longer pending) and
    /// returns that view. Probes run in the background, bounded by the service's probe deadline.
    /// </summary>
    public Task<SourceView> WhenChecked(long id) => WhenChecked(id, TimeSpan.FromSeconds(60));

    /// <summary>As <see cref="WhenChecked(long)"/>, failing if the first result takes longer than <paramref name="within"/>.</summary>
    public async Task<SourceView> WhenChecked(long id, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var view = (await Get(id)).View();
            if (view.Status != "pending") return view;
            Assert.True(DateTime.UtcNow < deadline, $"source {id} was never checked");
            // Poll interval only; the source's own status decides.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Every page, following the cursor chain from the first page to the last.</summary>
    public async Task<List<SourcePage>> ListPages(string filters = "", int limit = 100)
    {
        var pages = new List<SourcePage>();
        string? cursor = null;
        do
        {
            var query = $"?limit={limit}{filters}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = (await List(query)).Page();
            Assert.True(page.Items.Count <= limit, $"a page of {page.Items.Count} items for limit {limit}");
            pages.Add(page);
            cursor = page.NextCursor;
            Assert.True(pages.Count <= 10_000, "the cursor chain does not end");
        }
        while (cursor is not null);
        return pages;
    }

    /// <summary>Every item of every page.</summary>
    public async Task<List<SourceView>> ListAll(string filters = "", int limit = 100) =>
        (await ListPages(filters, limit)).SelectMany(p => p.Items).ToList();

    /// <summary>Any request, with this client's key; the body is read whole.</summary>
    public async Task<ApiResponse> Send(HttpMethod method, string path, HttpContent? content = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(node.BaseAddress, path)) { Content = content };
        if (apiKey is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        configure?.Invoke(request);
        using var response = await node.Http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var answer = new ApiResponse($"{method} {path} via {node.Name}", (int)response.StatusCode, body, response.Headers,
            response.Content.Headers.ContentType?.MediaType);
        transcript.Add(answer);
        return answer;
    }

    public static HttpContent Json(JsonNode body) => Json(body.ToJsonString());

    public static HttpContent Json(string body) => new StringContent(body, Encoding.UTF8, "application/json");

    private static string Path(long id) => $"{Root}{id}/";
}
