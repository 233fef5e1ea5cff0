using Orleans.Serialization;
using Orleans.Storage;
using Sources.Silo.Storage.Sources;

namespace Sources.Silo.Grains.Sources;

/// <summary>
/// The stored state of one source, as its grain holds it: its row in the sources table
/// (<see cref="SourceStore"/>), read on first use, inserted once, then replaced only by a write
/// that names the version it read. The grain's counterpart of Orleans' <c>IPersistentState&lt;T&gt;</c>,
/// shaped for this table (docs/lifecycle.md says why it is not one). Like the grain, not
/// thread-safe: used only from the grain's turns.
/// </summary>
public sealed class SourceState(long id, SourceStore store, Serializer<SourceRecord> serializer, TimeSpan firstCheckLease)
{
    /// <summary>The source, or null when there is none (once <see cref="_loaded"/>).</summary>
    private SourceRecord? _record;

    /// <summary>The version of the stored row, which the next write must name.</summary>
    private int _version;

    private bool _loaded;
    private Task? _loading;

    /// <summary>The source as this activation holds it now, without reading: null when not read yet, or when there is none.</summary>
    public SourceRecord? Held => _loaded ? _record : null;

    /// <summary>The source as stored, read on first use; null when there is none.</summary>
    public async Task<SourceRecord?> Read()
    {
        if (!_loaded)
            await (_loading ??= Load());
        return _record;
    }

    /// <summary>
    /// Stores a new source without reading first (ids are handed out once, so a new one has no
    /// row); false when the id holds another source already.
    /// </summary>
    public async Task<bool> Insert(SourceRecord record)
    {
        var row = Row(record);
        if (await store.Insert(row) is not { } version)
        {
            // The store runs a write again when the database dropped its connection; if the first
            // run was stored after all, the row found is this very one.
            if (await store.Read(id) is not { } stored || !stored.Row.Payload.AsSpan().SequenceEqual(row.Payload))
            {
                _loaded = false;
                return false;
            }
            version = stored.Version;
        }
        (_record, _version, _loaded) = (record, version, true);
        return true;
    }

    /// <summary>Stores the source as changed; it is held only once it is stored.</summary>
    /// <exception cref="InconsistentStateException">
    /// Another activation wrote the source since: the copy held here is dropped (the next read loads
    /// the row again), and the grain lets its activation go.
    /// </exception>
    public async Task Write(SourceRecord changed)
    {
        try
        {
            _version = await store.Update(Row(changed), _version);
        }
        catch (InconsistentStateException)
        {
            _loaded = false;
            throw;
        }
        _record = changed;
    }

    /// <summary>Removes the source's row; the state then holds no source.</summary>
    public async Task Delete()
    {
        await store.Delete(id);
        (_record, _version) = (null, 0);
    }

    private async Task Load()
    {
        try
        {
            var stored = await store.Read(id);
            // An insert that finished while this read ran knows better than the read.
            if (_loaded) return;
            (_record, _version) = stored is null ? (null, 0) : (serializer.Deserialize(stored.Row.Payload), stored.Version);
            _loaded = true;
        }
        finally
        {
            _loading = null;
        }
    }

    /// <summary>
    /// The row for a source, built here only. Its check falls due at the next check time, or, for a
    /// source not yet checked, once its first probe has had time to finish (so a probe lost with
    /// its node is redone).
    /// </summary>
    private SourceRow Row(SourceRecord record) => new(record.Id, record.Account, record.Type,
        serializer.SerializeToArray(record),
        record.HeldBack ? HeldBackCheck.Never : record.NextCheckAt ?? record.UpdatedAt + firstCheckLease,
        SourceColumns.Of(record));
}
