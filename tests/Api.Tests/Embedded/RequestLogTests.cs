using System.Text.RegularExpressions;
using Sources.Api.Tests.Infrastructure;
using Sources.TestServers;

namespace Sources.Api.Tests.Embedded;

/// <summary>
/// One line per request on the service's output: method, path, status, time and the request id a
/// problem answer shows, so an operator can find what a user reports. Lines are written in batches
/// (AccessLog), so the test waits for the line, within a generous limit.
/// </summary>
[Collection(EmbeddedCollection.Name)]
public sealed class RequestLogTests(EmbeddedService service)
{
    [Fact]
    public async Task Each_request_writes_one_line_naming_the_request_id_its_problem_shows()
    {
        var id = 900_000_000_000 + Random.Shared.Next();
        var problem = (await service.Client.Get(id)).Problem(404);
        Assert.False(string.IsNullOrEmpty(problem.RequestId));

        var line = await LineNaming(problem.RequestId!);
        Assert.Matches($@"^info: Sources\.Api\.Extensions\.RequestLogging\[\d+\] GET /api/v1/sources/{id}/ answered 404 in \d+\.\d ms \(request {Regex.Escape(problem.RequestId!)}\)$", line);
    }

    [Fact]
    public async Task Request_lines_carry_no_credentials()
    {
        var password = $"canary-{Guid.NewGuid():N}";
        var created = (await service.Client.Create(SourceBodies.Valid("POSTGRES", password))).Expect(201);
        var id = created.CreatedId();
        var problem = (await service.Client.Get(id + 1_000_000)).Problem(404);

        await LineNaming(problem.RequestId!);
        await LineWhere(l => l.Contains("POST /api/v1/sources/ answered 201", StringComparison.Ordinal), "a create's line");
        var lines = service.Node.Logs.Split('\n').Where(l => l.Contains("RequestLogging", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(lines, l => l.Contains(password, StringComparison.Ordinal) || l.Contains(service.Key, StringComparison.Ordinal));
    }

    /// <summary>The request line naming the request id, once written; fails after a generous limit.</summary>
    private Task<string> LineNaming(string requestId) =>
        LineWhere(l => l.Contains($"(request {requestId})", StringComparison.Ordinal), $"a line naming request {requestId}");

    private Task<string> LineWhere(Func<string, bool> wanted, string what) =>
        Poll.Until(() => service.Node.Logs.Split('\n').Select(l => l.TrimEnd('\r'))
            .FirstOrDefault(l => l.Contains("RequestLogging", StringComparison.Ordinal) && wanted(l)),
            TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30), $"the service wrote {what}");
}
