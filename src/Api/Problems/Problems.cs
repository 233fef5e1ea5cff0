using Sources.Contracts;

namespace Sources.Api.Problems;

/// <summary>
/// Every error answer: an RFC 9457 problem written with the spec's generated Problem type,
/// its <c>errors</c> list naming each field by JSON Pointer.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static IResult Validation(IReadOnlyList<SchemaError> errors) =>
        new ProblemResult(StatusCodes.Status400BadRequest, "validation", "The request breaks the contract.",
            errors.Count == 1 ? errors[0].Message : $"{errors.Count} fields are wrong; see errors.", errors);

    public static IResult BadRequest(string pointer, string code, string message) =>
        Validation([new SchemaError(pointer, code, message)]);

    public static IResult NotFound() =>
        new ProblemResult(StatusCodes.Status404NotFound, "not-found", "Not found.", "There is no such connection.");

    public static IResult MethodNotAllowed() =>
        new ProblemResult(StatusCodes.Status405MethodNotAllowed, "method-not-allowed", "Method not allowed.",
            "This route does not take that method; the Allow header lists those it takes.");

    public static IResult Unauthorized() =>
        new ProblemResult(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized.",
            "Send a live API key as 'Authorization: Bearer <key>'.");

    public static IResult Conflict(string detail) =>
        new ProblemResult(StatusCodes.Status409Conflict, "conflict", "Conflict.", detail);

    /// <summary>A rate limit was reached; <paramref name="detail"/> names it, Retry-After says when a permit is back.</summary>
    public static IResult TooManyRequests(string detail, int retryAfterSeconds) =>
        new ProblemResult(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.",
            $"{detail} Retry after {retryAfterSeconds} s.")
        { RetryAfterSeconds = retryAfterSeconds };

    /// <summary>The account holds as many sources as it may; deleting one makes room.</summary>
    public static IResult SourceQuota(int limit) =>
        new ProblemResult(StatusCodes.Status409Conflict, "quota-exceeded", "The account holds as many sources as it may.",
            $"An account may hold at most {limit} sources (Sources:Limits:SourcesPerAccount); delete one to create another.");

    public static IResult TooLarge(long limit) =>
        new ProblemResult(StatusCodes.Status413PayloadTooLarge, "too-large", "The body is too large.", $"The body may be at most {limit} bytes.");

    public static IResult UnsupportedMediaType() =>
        new ProblemResult(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type.",
            "Send the body as application/json.");

    public static IResult Unavailable(int retryAfterSeconds) =>
        new ProblemResult(StatusCodes.Status503ServiceUnavailable, "unavailable", "Storage is unavailable.",
            "Storage did not answer; retry shortly.")
        { RetryAfterSeconds = retryAfterSeconds };

    /// <summary>This node is not ready for work (<c>/readyz</c>): <paramref name="detail"/> says which of its checks failed.</summary>
    public static IResult NotReady(string detail, int retryAfterSeconds) =>
        new ProblemResult(StatusCodes.Status503ServiceUnavailable, "not-ready", "The node is not ready.", detail) { RetryAfterSeconds = retryAfterSeconds };

    /// <summary>A node that held the connection was lost, or the cluster refused the call on its way there.</summary>
    public static IResult NodeLost(int retryAfterSeconds) =>
        new ProblemResult(StatusCodes.Status503ServiceUnavailable, "node-lost", "A node of the cluster was lost.",
            "The node that held this connection stopped answering; the connection moves to another node. Retry shortly.")
        { RetryAfterSeconds = retryAfterSeconds };

    /// <summary>The cluster took the call but gave no answer in time.</summary>
    public static IResult NoAnswer(int retryAfterSeconds) =>
        new ProblemResult(StatusCodes.Status503ServiceUnavailable, "no-answer", "The cluster did not answer in time.",
            "The node that holds this connection did not answer in time; nothing says the request was lost or done. Retry shortly.")
        { RetryAfterSeconds = retryAfterSeconds };

    /// <summary>The settings check (decrypting an encrypted key) found no room on the node's blocking pool within its budget.</summary>
    public static IResult CheckBusy(int retryAfterSeconds) =>
        new ProblemResult(StatusCodes.Status503ServiceUnavailable, "busy", "The node is too busy to check these settings.",
            "Checking these settings (decrypting the private key) could not be done within Sources:Probe:CheckBudget on this node's blocking pool; nothing was stored. Retry shortly.")
        { RetryAfterSeconds = retryAfterSeconds };

    public static IResult Unexpected() =>
        new ProblemResult(StatusCodes.Status500InternalServerError, "unexpected", "Unexpected error.",
            "Something went wrong on our side; the request id identifies it in our logs.");
}
