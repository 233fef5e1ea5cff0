using Sources.Silo.Probing.Http;
using Sources.Silo.Probing.Network;

namespace Sources.Silo.Probing.Files;

/// <summary>
/// Streams one file to disk through the network policy: every connection, including each one a
/// redirect opens, goes only to an address the policy checked. The file may not pass its own
/// cap or what is left of the source's, and must arrive within a deadline that grows with its
/// size. A failed download leaves no file behind.
/// </summary>
public sealed class FileDownloader(NetworkPolicy network, FileSettings files, ProbeSettings probing)
{
    /// <summary>What is left of the source's size budget, shared by its downloads.</summary>
    public sealed class Budget(long bytes)
    {
        public long Remaining { get; private set; } = bytes;
        public void Spend(long bytes) => Remaining -= bytes;
    }

    public sealed record Downloaded(long Bytes, ProbeResult? Failure);

    /// <param name="received">Told the bytes of this file received so far, after each read.</param>
    public async Task<Downloaded> Download(Uri url, string filename, string path, Budget budget, CancellationToken cancellation, Action<long>? received = null)
    {
        using var http = GuardedHttp.Client(network, files.MaxRedirects, probing.Deadline);
        var limit = Math.Min(files.MaxFileBytes, budget.Remaining);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(probing.Deadline);
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
                return Failed(HttpFailures.FromStatus(response.StatusCode, url.Host), filename);
            if (response.Content.Headers.ContentLength is { } announced && announced > limit)
                return TooLarge(filename, limit);
            // Now the size is known (or the cap stands in for it), the deadline can grow with it.
            deadline.CancelAfter(files.DeadlineFor(response.Content.Headers.ContentLength ?? limit, probing.Deadline));

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var bytes = await Copy(body, path, limit, received, deadline.Token);
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
            if (ex is OperationCanceledException)
                return Failed(ProbeResult.Failed(ProbeOutcome.Timeout, "The download did not finish in time."), filename);
            return Failed(HttpFailures.Classify(ex, url.Host, cancellation), filename);
        }
    }

    /// <summary>Copies at most one byte past <paramref name="limit"/>, which is enough to know the file is too large.</summary>
    private static async Task<long> Copy(Stream body, string path, long limit, Action<long>? received, CancellationToken cancellation)
    {
        var buffer = new byte[81920];
        long total = 0;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
        int read;
        while ((read = await body.ReadAsync(buffer, cancellation)) > 0)
        {
            total += read;
            received?.Invoke(total);
            if (total > limit) return total;
            await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
        }
        return total;
    }

    private static Downloaded TooLarge(string filename, long limit) =>
        Failed(ProbeResult.Failed(ProbeOutcome.InvalidConfig, $"It is larger than the {Size(limit)} allowed."), filename);

    private static Downloaded Failed(ProbeResult failure, string filename) => new(0, FileFailure.Named(failure, filename));

    private static string Size(long bytes) => bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):0.#} GiB"
        : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.#} MiB"
        : $"{bytes} bytes";
}
