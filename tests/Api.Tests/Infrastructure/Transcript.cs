using System.Collections.Concurrent;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>Every response a fixture's clients received, for scans that look at all of them.</summary>
public sealed class Transcript
{
    private readonly ConcurrentQueue<ApiResponse> responses = new();

    public IReadOnlyCollection<ApiResponse> Responses => responses.ToArray();

    public void Add(ApiResponse response) => responses.Enqueue(response);
}
