using System.Buffers;

namespace Sources.Api.Requests;

/// <summary>Reads a JSON request body whole, refusing other media types, bodies over the limit and text that is not Unicode.</summary>
public static class JsonBody
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The body's bytes, or the problem that answers the request instead.</summary>
    public static async Task<(byte[]? Body, IResult? Problem)> Read(HttpRequest request)
    {
        if (!IsJson(request.ContentType))
            return (null, Problems.Problems.UnsupportedMediaType());
        if (request.ContentLength > MaxBytes)
            return (null, Problems.Problems.TooLarge(MaxBytes));

        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(request.HttpContext.RequestAborted);
            if (read.Buffer.Length > MaxBytes)
            {
                reader.AdvanceTo(read.Buffer.Start);
                return (null, Problems.Problems.TooLarge(MaxBytes));
            }
            if (read.IsCompleted)
            {
                var body = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return UnicodeCheck.Problem(body) is { } notText ? (null, Problems.Problems.Validation([notText])) : (body, null);
            }
            // Keep everything buffered until the body ends.
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType)) return false;
        var mediaType = contentType.Split(';')[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
