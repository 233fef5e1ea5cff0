using System.Data.Common;
using System.Security.Cryptography;
using Orleans.Core.Internal;
using Orleans.Serialization;
using Orleans.Storage;
using Sources.Silo.Grains.KeyPairs;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Storage;

namespace Sources.Silo.Secrets;

/// <summary>
/// Seals every stored secret again under the current master key, so that a key in
/// <c>Sources:PreviousMasterKeys</c> can be retired: each source's sealed secrets (the sources
/// table) and each Snowflake private key Sources holds (grain state "snowflakekeypair").
/// Row by row, each rewritten only if it still has the version it was read at, so a write made
/// meanwhile is never lost (the row is read again and tried once more). A box already under the
/// current key is left alone, so running it again, or after an interruption, finishes the rest.
/// See docs/secrets.md.
/// </summary>
public sealed class SecretReseal : IAsyncDisposable
{
    /// <summary>One rewritten row: a source's id, or a key pair's grain key.</summary>
    public sealed record Resealed(long? SourceId, string? KeyPair);

    /// <summary>What a run did; <see cref="Unopenable"/> and <see cref="Busy"/> name rows it could not finish.</summary>
    public sealed record Report(int Sources, int KeyPairs, int AlreadyCurrent, IReadOnlyList<string> Unopenable, IReadOnlyList<string> Busy)
    {
        public bool Finished => Unopenable.Count == 0 && Busy.Count == 0;
    }

    private const int Page = 256;

    /// <summary>How often a row that keeps changing under the reseal is read again before it is left for the next run.</summary>
    private const int Attempts = 5;

    private const string KeyPairState = "snowflakekeypair";

    private const string SourceIds = "SELECT id FROM sources_source WHERE id > @after ORDER BY id LIMIT @limit";
    private const string ReadSource = "SELECT payload, row_version FROM sources_source WHERE id = @id";
    private const string UpdateSource = """
        UPDATE sources_source SET payload = @payload, row_version = row_version + 1
        WHERE id = @id AND row_version = @row_version
        """;

    private const string KeyPairKeys = """
        SELECT grain_key_n0, grain_key_n1, grain_key_ext FROM sources_grain_state
        WHERE service_id = @service AND grain_type = @state AND payload IS NOT NULL
          AND (grain_key_n0, grain_key_n1, grain_key_ext) > (@n0, @n1, @ext)
        ORDER BY grain_key_n0, grain_key_n1, grain_key_ext LIMIT @limit
        """;

    private const string KeyOfRow = """
        service_id = @service AND grain_type = @state AND grain_key_n0 = @n0 AND grain_key_n1 = @n1 AND grain_key_ext = @ext
        """;

    private readonly DbDataSource _database;
    private readonly bool _postgres;
    private readonly string _serviceId;
    private readonly SecretSealer _sealer;
    private readonly Serializer<SourceRecord> _records;
    private readonly OrleansGrainStorageSerializer _state;

    public SecretReseal(StorageOptions options, SecretSealer sealer, Serializer<SourceRecord> records, Serializer serializer)
    {
        var database = StorageDatabase.From(options);
        _database = database.CreateDataSource();
        _postgres = database.IsPostgres;
        _serviceId = options.ServiceId;
        _sealer = sealer;
        _records = records;
        // The grain storage provider's own format (SourcesStorageExtensions), so the grains read what this writes.
        _state = new OrleansGrainStorageSerializer(serializer);
    }

    /// <param name="resealed">Told of each row once it is rewritten, so the caller can let go of an activation that still holds the old row.</param>
    public async Task<Report> Run(Func<Resealed, Task>? resealed = null, CancellationToken cancellation = default)
    {
        var (sources, pairs, current) = (0, 0, 0);
        var unopenable = new List<string>();
        var busy = new List<string>();

        for (var after = long.MinValue; ;)
        {
            var ids = await Ids(after, cancellation);
            foreach (var id in ids)
            {
                switch (await ResealSource(id, cancellation))
                {
                    case Outcome.Resealed:
                        sources++;
                        if (resealed is not null) await resealed(new Resealed(id, null));
                        break;
                    case Outcome.Current: current++; break;
                    case Outcome.Unopenable: unopenable.Add($"source {id}"); break;
                    case Outcome.Busy: busy.Add($"source {id}"); break;
                }
            }
            if (ids.Count < Page) break;
            after = ids[^1];
        }

        for ((long N0, long N1, string Ext) after = (long.MinValue, long.MinValue, ""); ;)
        {
            var keys = await KeyPairs(after, cancellation);
            foreach (var key in keys)
            {
                switch (await ResealKeyPair(key, cancellation))
                {
                    case Outcome.Resealed:
                        pairs++;
                        if (resealed is not null) await resealed(new Resealed(null, key.Ext));
                        break;
                    case Outcome.Current: current++; break;
                    // The grain key is the account and the public key's fingerprint: neither is a secret.
                    case Outcome.Unopenable: unopenable.Add($"key pair {key.Ext.Replace('\n', ' ')}"); break;
                    case Outcome.Busy: busy.Add($"key pair {key.Ext.Replace('\n', ' ')}"); break;
                }
            }
            if (keys.Count < Page) break;
            after = keys[^1];
        }

        return new Report(sources, pairs, current, unopenable, busy);
    }

    /// <summary>
    /// For <see cref="Run"/>: deactivates the grain of each rewritten row once it is idle, so an
    /// activation that read the row before the reseal (and would fail its next write on the row's
    /// version) is replaced by one that reads the row as it is now. Orleans' management extension,
    /// which every activation answers, since the grains have no call of their own for it.
    /// </summary>
    public static Func<Resealed, Task> LetGo(IGrainFactory grains) => row => row.SourceId is { } id
        ? grains.GetGrain<ISourceGrain>(id).AsReference<IGrainManagementExtension>().DeactivateOnIdle().AsTask()
        : grains.GetGrain<ISnowflakeKeyPairGrain>(row.KeyPair!).AsReference<IGrainManagementExtension>().DeactivateOnIdle().AsTask();

    private enum Outcome { Resealed, Current, Gone, Unopenable, Busy }

    private async Task<List<long>> Ids(long after, CancellationToken cancellation)
    {
        await using var command = _database.Command(SourceIds, ("after", after), ("limit", Page));
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var ids = new List<long>(Page);
        while (await reader.ReadAsync(cancellation))
            ids.Add(reader.GetInt64(0));
        return ids;
    }

    private async Task<Outcome> ResealSource(long id, CancellationToken cancellation)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            byte[] payload;
            int version;
            await using (var read = _database.Command(ReadSource, ("id", id)))
            await using (var reader = await read.ExecuteReaderAsync(cancellation))
            {
                if (!await reader.ReadAsync(cancellation)) return Outcome.Gone;
                (payload, version) = ((byte[])reader.GetValue(0), reader.GetInt32(1));
            }
            var record = _records.Deserialize(payload)!;
            if (record.SealedSecrets.Length == 0 || _sealer.IsCurrent(record.SealedSecrets)) return Outcome.Current;
            byte[] box;
            try
            {
                box = _sealer.Reseal(record.SealedSecrets, record.Id);
            }
            catch (CryptographicException)
            {
                return Outcome.Unopenable;
            }
            await using var update = _database.Command(UpdateSource,
                ("id", id), ("payload", _records.SerializeToArray(record with { SealedSecrets = box })), ("row_version", version));
            if (await update.ExecuteNonQueryAsync(cancellation) == 1) return Outcome.Resealed;
            // Written meanwhile (a probe's result, an update-config): read it again, keep that write.
        }
        return Outcome.Busy;
    }

    private async Task<List<(long N0, long N1, string Ext)>> KeyPairs((long N0, long N1, string Ext) after, CancellationToken cancellation)
    {
        await using var command = _database.Command(KeyPairKeys,
            ("service", _serviceId), ("state", KeyPairState), ("n0", after.N0), ("n1", after.N1), ("ext", after.Ext), ("limit", Page));
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var keys = new List<(long, long, string)>(Page);
        while (await reader.ReadAsync(cancellation))
            keys.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        return keys;
    }

    private async Task<Outcome> ResealKeyPair((long N0, long N1, string Ext) key, CancellationToken cancellation)
    {
        (string, object)[] row = [("service", _serviceId), ("state", KeyPairState), ("n0", key.N0), ("n1", key.N1), ("ext", key.Ext)];
        // The grain key is ISnowflakeKeyPairGrain.KeyOf(account, fingerprint); the fingerprint has no line break.
        var split = key.Ext.LastIndexOf('\n');
        if (split < 0) return Outcome.Unopenable;
        var context = ISnowflakeKeyPairGrain.SealContext(key.Ext[..split], key.Ext[(split + 1)..]);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            byte[] payload;
            int version;
            await using (var read = _database.Command($"SELECT payload, version FROM sources_grain_state WHERE {KeyOfRow}", row))
            await using (var reader = await read.ExecuteReaderAsync(cancellation))
            {
                if (!await reader.ReadAsync(cancellation) || reader.IsDBNull(0)) return Outcome.Gone;
                (payload, version) = ((byte[])reader.GetValue(0), reader.GetInt32(1));
            }
            var pair = _state.Deserialize<SnowflakeKeyPair>(new BinaryData(payload))!;
            if (_sealer.IsCurrent(pair.SealedPrivateKey)) return Outcome.Current;
            byte[] box;
            try
            {
                box = _sealer.Reseal(pair.SealedPrivateKey, context);
            }
            catch (CryptographicException)
            {
                return Outcome.Unopenable;
            }
            var now = _postgres ? "now()" : "strftime('%Y-%m-%d %H:%M:%f', 'now')";
            await using var update = _database.Command(
                $"UPDATE sources_grain_state SET payload = @payload, version = version + 1, modified_at = {now} WHERE {KeyOfRow} AND version = @version",
                [.. row, ("payload", _state.Serialize(pair with { SealedPrivateKey = box }).ToArray()), ("version", version)]);
            if (await update.ExecuteNonQueryAsync(cancellation) == 1) return Outcome.Resealed;
        }
        return Outcome.Busy;
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
