using Xunit;

namespace Sources.TestServers;

/// <summary>
/// The life every throw-away server of one daemon process shares: a scratch folder, a start on
/// free loopback ports that moves elsewhere when a port was taken in the meantime, readiness by
/// polling a real request (never a sleep), a clean stop, and the folder deleted at the end.
/// Subclasses say how to prepare, launch and ask their server.
/// </summary>
public abstract class DaemonServer : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private const int PortAttempts = 3;

    private string? _root;
    private DaemonProcess? _daemon;

    /// <summary>The product's name, for messages.</summary>
    protected abstract string Product { get; }

    /// <summary>The server's own log, quoted when it fails to start.</summary>
    protected abstract string LogFile { get; }

    /// <summary>The scratch folder holding the server's files.</summary>
    protected string Root => _root ?? throw new InvalidOperationException($"The {Product} server has not been started.");

    /// <summary>Once per server, before the first launch: initialise data, write fixed files.</summary>
    protected virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Picks free ports and starts the daemon on them.</summary>
    private protected abstract Task<DaemonProcess> LaunchAsync(CancellationToken cancellationToken);

    /// <summary>True once this server (not another one on the port) answers a real request; false while it does not yet.</summary>
    protected abstract Task<bool> AnswersAsync(CancellationToken cancellationToken);

    /// <summary>Whether the log of a daemon that exited says a port was taken.</summary>
    protected abstract bool PortWasTaken(string log);

    /// <summary>Once the server answers: the users, databases and tables the tests expect.</summary>
    protected virtual Task SeedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Shuts the server down and waits until its ports are closed.</summary>
    public Task StopAsync() => _daemon?.StopAsync() ?? Task.CompletedTask;

    protected static async Task<T> StartAsync<T>(T server, CancellationToken cancellationToken)
        where T : DaemonServer
    {
        try
        {
            await server.StartCoreAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    async Task IAsyncLifetime.InitializeAsync() => await StartCoreAsync(CancellationToken.None);

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public virtual async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
            _daemon = null;
        }

        if (_root is not null)
        {
            Directory.Delete(_root, recursive: true);
            _root = null;
        }
    }

    protected string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no server log)";

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        _root = ScratchFolder.Create($"sources-{Product.ToLowerInvariant()}-");
        await PrepareAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            _daemon = await LaunchAsync(cancellationToken);
            if (await WaitUntilReadyAsync(_daemon, cancellationToken))
            {
                await SeedAsync(cancellationToken);
                return;
            }

            await _daemon.DisposeAsync();
            if (attempt == PortAttempts)
            {
                throw new InvalidOperationException($"{Product} did not start on free ports after {PortAttempts} attempts:\n{ReadLog()}");
            }
        }
    }

    /// <summary>Polls until the server answers. False when it exited because a port was taken, so the caller retries elsewhere.</summary>
    private async Task<bool> WaitUntilReadyAsync(DaemonProcess started, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await AnswersAsync(cancellationToken))
            {
                return true;
            }

            if (started.HasExited)
            {
                var log = ReadLog();
                if (PortWasTaken(log))
                {
                    File.Delete(LogFile);
                    return false;
                }

                throw new InvalidOperationException($"{Product} failed to start:\n{log}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{Product} did not answer within {ReadyTimeout.TotalSeconds:0} s:\n{ReadLog()}");
            }

            // Poll interval only; readiness itself is decided by the request above.
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }
}
