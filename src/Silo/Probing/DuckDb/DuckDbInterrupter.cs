using DuckDB.NET.Data;

namespace Sources.Silo.Probing.DuckDb;

/// <summary>
/// Interrupts what a DuckDB connection runs once a token fires, until disposed. DuckDB forgets an
/// interrupt that arrives while no statement runs (the next one clears it as it starts), so one
/// interrupt sent just before a statement begins would be lost: after the token fires, the
/// interrupt is sent again every <see cref="Every"/> until the work ends and this is disposed.
/// </summary>
public sealed class DuckDbInterrupter : IDisposable
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(50);

    private readonly DuckDBConnection _connection;
    private readonly Lock _lock = new();
    private readonly CancellationTokenRegistration _registration;
    private Timer? _timer;
    private bool _disposed;

    public DuckDbInterrupter(DuckDBConnection connection, CancellationToken cancellation)
    {
        _connection = connection;
        _registration = cancellation.Register(Fired);
    }

    private void Fired()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _timer = new Timer(_ => Interrupt(), null, TimeSpan.Zero, Every);
        }
    }

    private void Interrupt()
    {
        // Under the lock, so the connection is never interrupted once the work ended and may close.
        lock (_lock)
            if (!_disposed)
                _connection.NativeConnection.Interrupt();
    }

    public void Dispose()
    {
        _registration.Dispose();
        lock (_lock)
        {
            _disposed = true;
            _timer?.Dispose();
        }
    }
}
