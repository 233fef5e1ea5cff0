using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Orleans.Storage;

namespace Sources.Api.Extensions;

/// <summary>
/// Turns what escapes a handler into a problem (ASP.NET Core's exception handler middleware calls
/// it): storage trouble, a lost node and a call the cluster did not answer in time are each a 503
/// with Retry-After that says which it was; anything else a 500 that shows no stack trace (the log
/// has it, by request id). The one place where a cause becomes a status and a message.
/// </summary>
public sealed partial class ErrorHandling(ILogger<ErrorHandling> logger) : IExceptionHandler
{
    private const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // A client that went away is the middleware's to handle: there is nobody to answer.
        if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            await Problems.Problems.TooLarge(Requests.JsonBody.MaxBytes).ExecuteAsync(context);
            return true;
        }
        var cause = CauseOf(exception);
        Failed(logger, exception, context.TraceIdentifier, cause);
        var problem = cause switch
        {
            Cause.Storage => Problems.Problems.Unavailable(RetryAfterSeconds),
            Cause.NodeLost => Problems.Problems.NodeLost(RetryAfterSeconds),
            Cause.NoAnswer => Problems.Problems.NoAnswer(RetryAfterSeconds),
            _ => Problems.Problems.Unexpected(),
        };
        await problem.ExecuteAsync(context);
        return true;
    }

    private enum Cause { Unexpected, Storage, NodeLost, NoAnswer }

    /// <summary>The first cause in the chain that says what went wrong; storage is named only when storage failed.</summary>
    private static Cause CauseOf(Exception ex) => ex switch
    {
        DbException or InconsistentStateException => Cause.Storage,
        SiloUnavailableException or OrleansMessageRejectionException => Cause.NodeLost,
        TimeoutException => Cause.NoAnswer,
        _ when ex.InnerException is { } inner => CauseOf(inner),
        _ => Cause.Unexpected,
    };

    // The request id is in the line: the console prints no scopes (see RequestLogging).
    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed ({Cause})")]
    private static partial void Failed(ILogger logger, Exception exception, string requestId, Cause cause);
}
