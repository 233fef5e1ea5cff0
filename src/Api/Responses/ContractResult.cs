using System.Text.Json;
using Sources.Contracts;

namespace Sources.Api.Responses;

/// <summary>A success answer written by a generated type's own writer (never its secrets).</summary>
public sealed class ContractResult(int status, IJsonWritable body, string? location = null) : IResult
{
    public int StatusCode => status;
    public string? Location => location;
    public IJsonWritable Body => body;

    public async Task ExecuteAsync(HttpContext context)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (location is not null)
            context.Response.Headers.Location = location;
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, JsonOutputOptions.Relaxed);
        body.WriteTo(writer, includeWriteOnly: false);
        await writer.FlushAsync(context.RequestAborted);
    }
}
