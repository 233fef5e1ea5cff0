namespace Sources.Api.Tests.Infrastructure;

/// <summary>The scan over every answer a fixture's clients received so far, and over its node's log.</summary>
public static class AnswerScan
{
    public static void AssertNoServerErrorOrStackFrame(Transcript transcript, IServiceNode node)
    {
        foreach (var response in transcript.Responses)
        {
            Assert.True(response.Status < 500, $"a 5xx answer: {response}");
            response.AssertNoStackTrace();
        }
        Assert.DoesNotContain("Unhandled exception", node.Logs, StringComparison.Ordinal);
    }
}
