namespace Sources.Silo.Probing.Http;

/// <summary>
/// Reads at most <see cref="MaxBytes"/> of any one answer a source's HTTP server sends (a
/// ClickHouse result, an MCP page, a Snowflake or BigQuery answer): past it, reading fails with
/// <see cref="AnswerTooLargeException"/>, so a hostile server cannot make a probe hold more than
/// that in memory, whether the prober buffers the body or streams it into a parser.
/// </summary>
public sealed class BoundedAnswers(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    public const long MaxBytes = 16L << 20;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > MaxBytes)
        {
            response.Dispose();
            throw new AnswerTooLargeException();
        }
        var original = response.Content;
        var bounded = new StreamContent(new LimitedStream(await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), original));
        foreach (var header in original.Headers)
            bounded.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = bounded;
        return response;
    }

    /// <summary>Counts what is read and fails past the bound; disposing it disposes the original content.</summary>
    private sealed class LimitedStream(Stream inner, HttpContent owner) : Stream
    {
        private long _read;

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(int read)
        {
            _read += read;
            return _read > MaxBytes ? throw new AnswerTooLargeException() : read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                owner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

/// <summary>A source's server sent an answer larger than Sources reads.</summary>
public sealed class AnswerTooLargeException() : Exception($"The answer was larger than the {BoundedAnswers.MaxBytes >> 20} MiB Sources reads.")
{
    /// <summary>Whether the exception, or one it wraps, is this one (an SDK may wrap what a stream threw).</summary>
    public static bool In(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is AnswerTooLargeException) return true;
        return exception is AggregateException aggregate && aggregate.InnerExceptions.Any(In);
    }

    public static ProbeResult Result() =>
        ProbeResult.Failed(ProbeOutcome.Error, $"The server sent an answer larger than the {BoundedAnswers.MaxBytes >> 20} MiB Sources reads from a source; narrow what it is asked to list.");
}
