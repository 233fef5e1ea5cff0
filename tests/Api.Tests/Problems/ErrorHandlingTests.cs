using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Sources.Api.Extensions;
using Sources.Api.Problems;

namespace Sources.Api.Tests.Problems;

/// <summary>
/// What escapes a handler, answered as what it is: only a storage failure says storage; a lost
/// node and a call the cluster did not answer in time each say so, all with Retry-After.
/// </summary>
[Trait("Speed", "fast")]
public sealed class ErrorHandlingTests
{
    public static TheoryData<Exception, int, string> Failures => new()
    {
        { new NpgsqlException("connection refused"), 503, "https://sources.dev/problems/unavailable" },
        { new Orleans.Storage.InconsistentStateException("changed elsewhere"), 503, "https://sources.dev/problems/unavailable" },
        { new TimeoutException("Response did not arrive on time"), 503, "https://sources.dev/problems/no-answer" },
        { new SiloUnavailableException("silo declared dead"), 503, "https://sources.dev/problems/node-lost" },
        { new AggregateException(new TimeoutException("inner")), 503, "https://sources.dev/problems/no-answer" },
        { new InvalidOperationException("a bug"), 500, "https://sources.dev/problems/unexpected" },
    };

    [Theory, MemberData(nameof(Failures))]
    public async Task Each_failure_is_answered_as_its_own_cause(Exception failure, int status, string type)
    {
        var handling = new ErrorHandling(NullLogger<ErrorHandling>.Instance);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddSourcesProblems().BuildServiceProvider() };
        var body = new MemoryStream();
        context.Response.Body = body;

        Assert.True(await handling.TryHandleAsync(context, failure, CancellationToken.None));
        await context.Response.BodyWriter.FlushAsync(); // what the server does at the end of the response

        Assert.Equal(status, context.Response.StatusCode);
        using var problem = JsonDocument.Parse(body.ToArray());
        Assert.Equal(type, problem.RootElement.GetProperty("type").GetString());
        if (status == 503)
            Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
        Assert.DoesNotContain(failure.Message, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }
}
