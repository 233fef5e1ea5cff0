using Microsoft.AspNetCore.Mvc;
using Sources.Contracts;

namespace Sources.Api.Problems;

/// <summary>
/// One problem of <see cref="Problems"/>: its status and the headers that go with it, written by
/// the framework's <see cref="IProblemDetailsService"/> (which <see cref="ContractProblemWriter"/>
/// answers), with the request id so a user can quote it.
/// </summary>
public sealed class ProblemResult(int status, string kind, string title, string detail, IReadOnlyList<SchemaError>? errors = null) : IResult
{
    public int StatusCode => status;
    public int? RetryAfterSeconds { get; init; }

    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
            context.Response.Headers.WWWAuthenticate = "Bearer";
        if (RetryAfterSeconds is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var details = new ProblemDetails
        {
            Type = $"https://sources.dev/problems/{kind}",
            Title = title,
            Status = status,
            Detail = detail,
        };
        if (errors is not null)
            details.Extensions[ContractProblemWriter.ErrorsKey] = errors;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details });
    }
}
