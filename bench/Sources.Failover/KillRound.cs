using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Sources.Failover;

/// <summary>One request of the load: when it was sent and answered (seconds from the kill), and how.</summary>
internal sealed record Outcome(string Kind, double SentAt, double AnsweredAt, int Status, string? Problem);

/// <summary>What one kill cost: the answers of the load around it, and when each source the killed node held answered again.</summary>
internal sealed record RoundResult(IReadOnlyList<Outcome> Load, IReadOnlyList<double> Recovered);

/// <summary>
/// One kill under load. Sources are created through the victim (so that its share of their grains
/// lives on it), then creates (through the survivors in turn) and gets of those sources run
/// closed-loop, a few at a time; the victim is killed, and from that moment each of its sources is
/// read through a survivor until it answers, as a client with a retry budget would. The load runs on
/// until <see cref="After"/> past the kill.
/// </summary>
internal sealed class KillRound(ClusterNode[] survivors, ClusterNode victim, string apiKey)
{
    public const int SourcesOnVictim = 60;
    public const int Workers = 8;
    public static readonly TimeSpan Before = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan After = TimeSpan.FromSeconds(20);

    /// <summary>A source whose first probe ends at once: postgres mode denies probes of loopback.</summary>
    private const string Body = """{"type":"POSTGRES","hostname":"127.0.0.1","port":1,"username":"bench","password":"s3cret","database_name":"bench"}""";

    private readonly HttpClient _http = NewClient(apiKey);
    private readonly ConcurrentBag<Outcome> _outcomes = [];
    private readonly Stopwatch _clock = new();
    private double _killedAt = double.NaN;

    public async Task<RoundResult> RunAsync()
    {
        var ids = new List<long>();
        for (var i = 0; i < SourcesOnVictim; i++)
            ids.Add(await CreateAsync(victim.BaseAddress) ?? throw new InvalidOperationException("A create through the victim failed before the kill."));

        using var stop = new CancellationTokenSource();
        _clock.Start();
        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(() => LoadAsync(w, ids, stop.Token))).ToList();
        await Task.Delay(Before);
        victim.Kill();
        _killedAt = _clock.Elapsed.TotalSeconds;
        var recovered = await Task.WhenAll(ids.Select((id, i) => Task.Run(() => UntilReadAsync(survivors[i % survivors.Length], id))));
        var remaining = After - TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds - _killedAt);
        if (remaining > TimeSpan.Zero)
            await Task.Delay(remaining);
        await stop.CancelAsync();
        await Task.WhenAll(load);
        return new RoundResult([.. _outcomes.Select(o => o with { SentAt = o.SentAt - _killedAt, AnsweredAt = o.AnsweredAt - _killedAt })], recovered);
    }

    private async Task LoadAsync(int worker, List<long> ids, CancellationToken stop)
    {
        var random = new Random(worker);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var node = survivors[n % survivors.Length];
            if (worker % 2 == 0)
                await SendAsync("create", () => new HttpRequestMessage(HttpMethod.Post, new Uri(node.BaseAddress, "/api/v1/sources/"))
                {
                    Content = new StringContent(Body, Encoding.UTF8, "application/json"),
                });
            else
                await SendAsync("get", () => new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseAddress, $"/api/v1/sources/{ids[random.Next(ids.Count)]}/")));
        }
    }

    /// <summary>Seconds from the kill until a get of the source through <paramref name="node"/> answered 200, asking again after each 503.</summary>
    private async Task<double> UntilReadAsync(ClusterNode node, long id)
    {
        while (true)
        {
            var outcome = await SendAsync("recovery", () => new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseAddress, $"/api/v1/sources/{id}/")));
            if (outcome.Status == 200)
                return outcome.AnsweredAt - _killedAt;
            if (outcome.Status != 503 || outcome.AnsweredAt - _killedAt > 60)
                throw new InvalidOperationException($"Source {id} answered {outcome.Status} ({outcome.Problem}) {outcome.AnsweredAt - _killedAt:0.0} s after the kill.");
            // Poll interval only; the service's answer decides.
            await Task.Delay(100);
        }
    }

    private async Task<long?> CreateAsync(Uri node)
    {
        using var response = await _http.PostAsync(new Uri(node, "/api/v1/sources/"), new StringContent(Body, Encoding.UTF8, "application/json"));
        if (response.StatusCode != HttpStatusCode.Created) return null;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetInt64();
    }

    private async Task<Outcome> SendAsync(string kind, Func<HttpRequestMessage> request)
    {
        var sent = _clock.Elapsed.TotalSeconds;
        int status;
        string? problem = null;
        try
        {
            using var message = request();
            using var response = await _http.SendAsync(message);
            status = (int)response.StatusCode;
            if (status >= 400 && response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                problem = json.RootElement.GetProperty("type").GetString()?.Split('/')[^1];
            }
        }
        catch (HttpRequestException e)
        {
            status = 0;
            problem = e.HttpRequestError.ToString();
        }
        var outcome = new Outcome(kind, sent, _clock.Elapsed.TotalSeconds, status, problem);
        _outcomes.Add(outcome);
        return outcome;
    }

    private static HttpClient NewClient(string apiKey)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(90) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}
