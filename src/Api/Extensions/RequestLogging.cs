using System.Diagnostics;

namespace Sources.Api.Extensions;

/// <summary>
/// One structured line per request, the request id (the one a problem answer shows) in the line
/// itself: the console prints no scopes, as formatting ASP.NET Core's three per request cost more
/// than the rest of the line. Only method, path, status, time and id: never headers or bodies,
/// which hold keys and credentials.
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            Handled(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds, context.TraceIdentifier);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} in {ElapsedMs:0.0} ms (request {RequestId})")]
    private static partial void Handled(ILogger logger, string method, string path, int status, double elapsedMs, string requestId);
}
