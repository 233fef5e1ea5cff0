using System.Collections.Concurrent;

namespace Sources.Api.Tests.Infrastructure;

/// <summary>Every response a fixture's clients received, for scans that look at all of them.</summary>
public sealed class Transcript
{
    private readonly ConcurrentQueue<ApiResponse> _responses = new();

    public IReadOnlyCollection<ApiResponse> Responses => _responses.ToArray();

    public void Add(ApiResponse response) => _responses.Enqueue(response);
}
