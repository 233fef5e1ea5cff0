using DuckDB.NET.Data;
using Sources.Silo.Probing.DuckDb;

namespace Sources.Silo.Probing.MotherDuck;

/// <summary>
/// DuckDB's MotherDuck extension, installed once per process and outside any probe. INSTALL
/// downloads it from DuckDB's repository, which may be slow or out of reach; run by each probe
/// it would hold every MotherDuck probe of the node to that download, and run by many at once it
/// would race on the same files. So one attempt runs at a time on its own thread, started at the
/// first need (or by <see cref="Start"/> at start-up), and probes only wait for it. When it
/// fails, probes answer unsupported at once until <see cref="MotherDuckSettings.ExtensionRetry"/>
/// has passed, then the next need starts one new attempt.
/// </summary>
public sealed class MotherDuckExtension(MotherDuckSettings settings, TimeProvider time)
{
    private readonly Lock _lock = new();
    private Task<bool>? _attempt;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    /// <summary>Attempts started so far.</summary>
    public int Attempts { get; private set; }

    /// <summary>Starts an attempt unless one runs, succeeded, or failed within the back-off.</summary>
    public void Start() => Current();

    /// <summary>
    /// Whether the extension is installed: waits for the running attempt (within the token),
    /// starting one if due. False at once while a failure's back-off lasts.
    /// </summary>
    public Task<bool> Ready(CancellationToken cancellation) => Current().WaitAsync(cancellation);

    private Task<bool> Current()
    {
        lock (_lock)
        {
            if (_attempt is { IsCompleted: false } or { IsCompletedSuccessfully: true, Result: true })
                return _attempt;
            if (_attempt is not null && time.GetUtcNow() < _retryAt)
                return _attempt;
            Attempts++;
            return _attempt = Task.Factory.StartNew(Attempt, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    private bool Attempt()
    {
        bool installed;
        try
        {
            installed = InstallFromRepository();
        }
        catch (Exception ex) when (ex is DuckDBException or IOException)
        {
            installed = false;
        }
        if (!installed)
            lock (_lock)
                _retryAt = time.GetUtcNow() + settings.ExtensionRetry;
        return installed;
    }

    /// <summary>INSTALL, then LOAD once to know the installed file works, in a scratch in-memory database.</summary>
    private static bool InstallFromRepository()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        DuckDbLockdown.Execute(connection, "SET autoinstall_known_extensions = false");
        DuckDbLockdown.Execute(connection, "SET allow_community_extensions = false");
        DuckDbLockdown.Execute(connection, "INSTALL motherduck");
        DuckDbLockdown.Execute(connection, "LOAD motherduck");
        return true;
    }
}
