using System.Diagnostics;

namespace Sources.Api.Extensions;

/// <summary>
/// One structured line per request (the request id is in ASP.NET Core's scope). Only method, path,
/// status and time: never headers or bodies, which hold keys and credentials.
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
            Handled(logger, context.Request.Method, context.Request.Path, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} answered {Status} in {ElapsedMs:0.0} ms")]
    private static partial void Handled(ILogger logger, string method, string path, int status, double elapsedMs);
}
