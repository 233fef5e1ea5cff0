using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Sources.Client;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>The generated client (src/Client) for a node and a key, one HttpClient each for the run.</summary>
public static class TypedClients
{
    private static readonly ConcurrentDictionary<(IServiceNode, Uri, string?), HttpClient> Http = new();

    /// <summary>A child process's address changes on a restart, so a client is kept per node, address and key.</summary>
    public static SourcesApiClient For(IServiceNode node, string? key) =>
        new(Http.GetOrAdd((node, node.BaseAddress, key), k =>
        {
            var http = k.Item1.NewHttpClient();
            if (k.Item3 is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", k.Item3);
            return http;
        }));
}
