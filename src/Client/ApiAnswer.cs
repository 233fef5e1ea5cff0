using System.Net.Http.Headers;
using System.Text;
using Sources.Contracts;

namespace Sources.Client;

/// <summary>
/// What the service answered: the status, the headers, the body, and the RFC 9457 problem when
/// the answer is one. Any status is an answer; <see cref="EnsureStatus"/> turns an unexpected one into
/// an exception that shows the whole answer.
/// </summary>
public class ApiAnswer
{
    private const string ProblemMedia = "application/problem+json";
    private readonly Lazy<Problem?> _problem;

    protected ApiAnswer(int status, int successStatus, byte[] body, string? contentType, HttpResponseHeaders headers)
    {
        Status = status;
        SuccessStatus = successStatus;
        Body = body;
        ContentType = contentType;
        Headers = headers;
        _problem = new(() => contentType == ProblemMedia ? Problem.Parse(body).Value : null);
    }

    public int Status { get; }

    /// <summary>The 2xx status the spec gives the operation.</summary>
    public int SuccessStatus { get; }

    public byte[] Body { get; }
    public string Text => Encoding.UTF8.GetString(Body);
    public string? ContentType { get; }
    public HttpResponseHeaders Headers { get; }

    /// <summary>The problem, when the answer is an <c>application/problem+json</c> in the contract's shape.</summary>
    public Problem? Problem => _problem.Value;

    public bool IsSuccess => Status == SuccessStatus;

    /// <summary>This answer, if its status is <paramref name="status"/>; an <see cref="ApiAnswerException"/> otherwise.</summary>
    public ApiAnswer EnsureStatus(int status) =>
        Status == status ? this : throw new ApiAnswerException($"expected {status}, got {this}", this);

    public override string ToString() => $"{Status} {ContentType}: {Text}";

    public static async Task<ApiAnswer> ReadAsync(HttpResponseMessage response, int successStatus, CancellationToken cancellation)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
        return new ApiAnswer((int)response.StatusCode, successStatus, body, response.Content.Headers.ContentType?.MediaType, response.Headers);
    }
}

/// <summary>An answer whose success carries a body of the contract type <typeparamref name="T"/>, read by its generated reader.</summary>
public sealed class ApiAnswer<T> : ApiAnswer where T : class
{
    private ApiAnswer(int status, int successStatus, byte[] body, string? contentType, HttpResponseHeaders headers, ReadResult<T>? read)
        : base(status, successStatus, body, contentType, headers) => Read = read;

    /// <summary>The success body as the reader judged it; null for any other status.</summary>
    public ReadResult<T>? Read { get; }

    /// <summary>The success body, when the status is the operation's success and the body keeps the contract.</summary>
    public T? Value => Read?.Value;

    /// <summary>The success body; an <see cref="ApiAnswerException"/> when the status is another or the body breaks the contract.</summary>
    public T Ok()
    {
        if (!IsSuccess) throw new ApiAnswerException($"expected {SuccessStatus}, got {this}", this);
        return Value ?? throw new ApiAnswerException(
            $"the body breaks the contract ({string.Join("; ", Read!.Errors.Select(e => $"{e.Pointer} {e.Code}"))}): {this}", this);
    }

    public static async Task<ApiAnswer<T>> ReadAsync(HttpResponseMessage response, int successStatus, Func<byte[], ReadResult<T>> parse, CancellationToken cancellation)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var read = status == successStatus && mediaType == "application/json" ? parse(body) : null;
        return new ApiAnswer<T>(status, successStatus, body, mediaType, response.Headers, read);
    }
}

/// <summary>An answer that was not the one the caller expected, with the answer itself.</summary>
public sealed class ApiAnswerException(string message, ApiAnswer answer) : Exception(message)
{
    public ApiAnswer Answer { get; } = answer;
}
