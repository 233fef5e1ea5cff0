using System.Text.Json;
using Microsoft.Extensions.Options;
using Sources.Api.Responses;
using Sources.Contracts;

namespace Sources.Api.Problems;

/// <summary>
/// Writes every problem the service answers, ours and the framework's, through ASP.NET Core's
/// <see cref="IProblemDetailsService"/> in the contract's shape: the spec's generated Problem type,
/// with the request id and the <c>errors</c> list (<see cref="ErrorsKey"/>) naming each field.
/// Registered ahead of the framework's own writer, so it is the one that writes.
/// </summary>
public sealed class ContractProblemWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    /// <summary>The extension that carries a problem's field errors (a list of <see cref="SchemaError"/>).</summary>
    public const string ErrorsKey = "errors";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        var details = context.ProblemDetails;
        var http = context.HttpContext;
        var errors = details.Extensions.TryGetValue(ErrorsKey, out var listed) ? listed as IReadOnlyList<SchemaError> : null;
        var problem = new Problem
        {
            Type = details.Type ?? "about:blank",
            Title = details.Title ?? "",
            Status = details.Status ?? http.Response.StatusCode,
            Detail = details.Detail,
            Instance = details.Instance ?? http.Request.Path,
            RequestId = http.TraceIdentifier,
            Errors = errors?.Select(e => new FieldError { Pointer = e.Pointer, Code = e.Code, Message = e.Message }).ToList(),
        };
        http.Response.ContentType = Problems.ContentType;
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter, JsonOutputOptions.Relaxed);
        problem.WriteTo(writer);
        await writer.FlushAsync(http.RequestAborted);
    }
}
