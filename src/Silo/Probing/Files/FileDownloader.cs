using Sources.Silo.Probing.Http;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.Files;

/// <summary>
/// Streams one file to disk through the network policy: every connection, including each one a
/// redirect opens, goes only to an address the policy checked. The file may not pass its own
/// cap or what is left of the source's, and must arrive within a deadline that grows with its
/// size (never past the FILE probe's cap). A server that sends nothing for the idle timeout, or
/// less than the minimum rate over the rate window, fails at once as a timeout. A failed
/// download leaves no file behind.
/// </summary>
public sealed class FileDownloader(NetworkPolicy network, FileSettings files, ProbeSettings probing, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>What is left of the source's size budget, shared by its downloads.</summary>
    public sealed class Budget(long bytes)
    {
        public long Remaining { get; private set; } = bytes;
        public void Spend(long bytes) => Remaining -= bytes;
    }

    public sealed record Downloaded(long Bytes, ProbeResult? Failure);

    /// <param name="budgetTime">The time the whole probe has; connecting and waiting for headers get no more.</param>
    /// <param name="received">Told the bytes of this file received so far, after each read.</param>
    public async Task<Downloaded> Download(Uri url, string filename, string path, Budget budget, TimeSpan budgetTime, CancellationToken cancellation, Action<long>? received = null)
    {
        using var http = GuardedHttp.Client(network, budgetTime, files.MaxRedirects);
        var limit = Math.Min(files.MaxFileBytes, budget.Remaining);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(probing.Deadline);
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, idle.Token);
        try
        {
            idle.CancelAfter(files.IdleTimeout);
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, either.Token);
            if (!response.IsSuccessStatusCode)
                return Failed(HttpFailures.FromStatus(response.StatusCode, url.Host), filename);
            if (response.Content.Headers.ContentLength is { } announced && announced > limit)
                return TooLarge(filename, limit);
            // Now the size is known (or the cap stands in for it), the deadline can grow with it.
            deadline.CancelAfter(files.DeadlineFor(response.Content.Headers.ContentLength ?? limit, probing.Deadline));

            await using var body = await response.Content.ReadAsStreamAsync(either.Token);
            var rate = new TransferRate(files.MinBytesPerSecond, files.RateWindow, _time);
            var (bytes, tooSlow) = await Copy(body, path, limit, idle, rate, received, either.Token);
            if (tooSlow)
            {
                File.Delete(path);
                return Failed(ProbeResult.Failed(ProbeOutcome.Timeout, TooSlowMessage()), filename);
            }
            if (bytes > limit)
            {
                File.Delete(path);
                return TooLarge(filename, limit);
            }
            budget.Spend(bytes);
            return new Downloaded(bytes, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !cancellation.IsCancellationRequested)
        {
            File.Delete(path);
            if (idle.IsCancellationRequested)
                return Failed(ProbeResult.Failed(ProbeOutcome.Timeout, $"Nothing arrived for {files.IdleTimeout.TotalSeconds:0.#} s."), filename);
            if (ex is OperationCanceledException)
                return Failed(ProbeResult.Failed(ProbeOutcome.Timeout, "The download did not finish in time."), filename);
            return Failed(HttpFailures.Classify(ex, url.Host, cancellation), filename);
        }
    }

    private string TooSlowMessage() =>
        $"It arrived slower than {Size(files.MinBytesPerSecond)}/s over {files.RateWindow.TotalSeconds:0.#} s.";

    /// <summary>Copies at most one byte past <paramref name="limit"/>, which is enough to know the file is too large.</summary>
    private async Task<(long Bytes, bool TooSlow)> Copy(Stream body, string path, long limit, CancellationTokenSource idle, TransferRate rate,
        Action<long>? received, CancellationToken cancellation)
    {
        var buffer = new byte[81920];
        long total = 0;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
        while (true)
        {
            idle.CancelAfter(files.IdleTimeout);
            var read = await body.ReadAsync(buffer, cancellation);
            if (read == 0) return (total, false);
            total += read;
            received?.Invoke(total);
            if (total > limit) return (total, false);
            if (!rate.Received(read)) return (total, true);
            await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
        }
    }

    private static Downloaded TooLarge(string filename, long limit) =>
        Failed(ProbeResult.Failed(ProbeOutcome.InvalidConfig, $"It is larger than the {Size(limit)} allowed."), filename);

    private static Downloaded Failed(ProbeResult failure, string filename) => new(0, FileFailure.Named(failure, filename));

    internal static string Size(long bytes) => bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):0.#} GiB"
        : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.#} MiB"
        : bytes >= 1 << 10 ? $"{bytes / (double)(1 << 10):0.#} KiB"
        : $"{bytes} bytes";
}
