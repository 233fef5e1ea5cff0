using System.Data.Common;
using Orleans.Runtime;
using Orleans.Storage;

namespace Sources.Api.Extensions;

/// <summary>
/// Turns what escapes a handler into a problem: storage or cluster trouble is a 503 with
/// Retry-After, anything else a 500 that shows no stack trace (the log has it, by request id).
/// </summary>
public sealed partial class ErrorHandling(RequestDelegate next, ILogger<ErrorHandling> logger)
{
    private const int RetryAfterSeconds = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await Problems.Problems.TooLarge(Requests.JsonBody.MaxBytes).ExecuteAsync(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            var unavailable = IsUnavailable(ex);
            Failed(logger, ex, context.TraceIdentifier, unavailable);
            var problem = unavailable ? Problems.Problems.Unavailable(RetryAfterSeconds) : Problems.Problems.Unexpected();
            await problem.ExecuteAsync(context);
        }
    }

    private static bool IsUnavailable(Exception ex) => ex switch
    {
        DbException or TimeoutException or SiloUnavailableException or OrleansMessageRejectionException => true,
        InconsistentStateException => true,
        _ when ex.InnerException is { } inner => IsUnavailable(inner),
        _ => false,
    };

    // The request id is in the line: the console prints no scopes (see RequestLogging).
    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed (storage unavailable: {Unavailable})")]
    private static partial void Failed(ILogger logger, Exception exception, string requestId, bool unavailable);
}
