using System.Text.Json;
using Sources.Api.Responses;
using Sources.Contracts;

namespace Sources.Api.Problems;

/// <summary>Writes one problem, with the request id so a user can quote it.</summary>
public sealed class ProblemResult(int status, string kind, string title, string detail, IReadOnlyList<SchemaError>? errors = null) : IResult
{
    public int StatusCode => status;
    public int? RetryAfterSeconds { get; init; }

    public async Task ExecuteAsync(HttpContext context)
    {
        var problem = new Problem
        {
            Type = $"https://sources.dev/problems/{kind}",
            Title = title,
            Status = status,
            Detail = detail,
            Instance = context.Request.Path,
            RequestId = context.TraceIdentifier,
            Errors = errors?.Select(e => new FieldError { Pointer = e.Pointer, Code = e.Code, Message = e.Message }).ToList(),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = Problems.ContentType;
        if (status == StatusCodes.Status401Unauthorized)
            context.Response.Headers.WWWAuthenticate = "Bearer";
        if (RetryAfterSeconds is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, JsonOutputOptions.Relaxed);
        problem.WriteTo(writer);
        await writer.FlushAsync(context.RequestAborted);
    }
}
