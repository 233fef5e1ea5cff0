namespace Sources.Silo.Probing.Files;

/// <summary>
/// One holder at a time per key (a source's folder), with an entry only while someone holds or
/// waits for it: a node probes many sources over its life, and a gate kept per source forever
/// would grow with every source it ever probed.
/// </summary>
public sealed class FolderGates
{
    private sealed class Gate
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int Users; // holders and waiters, changed only under the table's lock
    }

    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Keys with a holder or a waiter now.</summary>
    public int Count
    {
        get { lock (_gates) return _gates.Count; }
    }

    /// <summary>Waits for the key's gate; disposing the answer lets the next one in.</summary>
    public async Task<IDisposable> Enter(string key, CancellationToken cancellation)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(key, out gate!))
                _gates[key] = gate = new Gate();
            gate.Users++;
        }
        try
        {
            await gate.Semaphore.WaitAsync(cancellation).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, gate, held: false);
            throw;
        }
        return new Held(this, key, gate);
    }

    private void Leave(string key, Gate gate, bool held)
    {
        lock (_gates)
        {
            if (held) gate.Semaphore.Release();
            if (--gate.Users == 0)
            {
                _gates.Remove(key);
                gate.Semaphore.Dispose();
            }
        }
    }

    private sealed class Held(FolderGates gates, string key, Gate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                gates.Leave(key, gate, held: true);
        }
    }
}
