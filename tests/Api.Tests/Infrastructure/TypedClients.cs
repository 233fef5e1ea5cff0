using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Sources.Client;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>The generated client (src/Client) for a node and a key, one HttpClient each for the run.</summary>
public static class TypedClients
{
    private static readonly ConcurrentDictionary<(Uri, string?), HttpClient> Http = new();

    public static SourcesApiClient For(ServiceProcess node, string? key) =>
        new(Http.GetOrAdd((node.BaseAddress, key), k =>
        {
            var http = new HttpClient { BaseAddress = k.Item1, Timeout = TimeSpan.FromSeconds(100) };
            if (k.Item2 is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", k.Item2);
            return http;
        }));
}
