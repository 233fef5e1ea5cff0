using System.Data.Common;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization;
using Sources.Silo.Grains.Sources;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// Carries sources stored by schema version 1 (generic grain state, state name "source") into the
/// sources table at start-up, oldest first so the listing keeps its order, and deletes each old row
/// once its source is in the table; the old account indexes go with them. Safe to run on several
/// nodes at once and after a crash halfway: a source already carried over is not inserted twice.
/// A row that cannot be read is left where it is and named in the log.
/// </summary>
internal sealed partial class LegacySourceImport(
    StorageDatabase database, StorageOptions options, SourceStore store, Serializer<SourceRecord> serializer,
    ILogger<LegacySourceImport> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const string LegacyRows = """
        SELECT grain_key_n0, grain_key_n1, grain_key_ext, payload FROM sources_grain_state
        WHERE service_id = @service AND grain_type = 'source' AND payload IS NOT NULL
        """;

    private const string DeleteLegacyRow = """
        DELETE FROM sources_grain_state
        WHERE service_id = @service AND grain_type = 'source' AND grain_key_n0 = @n0 AND grain_key_n1 = @n1 AND grain_key_ext = @ext
        """;

    private const string DeleteLegacyIndexes = "DELETE FROM sources_grain_state WHERE service_id = @service AND grain_type = 'account'";

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LegacySourceImport), ServiceLifecycleStage.RuntimeInitialize, Run);

    private async Task Run(CancellationToken cancellation)
    {
        await using var source = database.CreateDataSource();

        var legacy = new List<(long N0, long N1, string Ext, byte[] Payload, SourceRecord Record)>();
        await using (var command = Command(source, LegacyRows))
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation))
            {
                var (n0, n1, ext, payload) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), (byte[])reader.GetValue(3));
                try
                {
                    legacy.Add((n0, n1, ext, payload, serializer.Deserialize(payload)!));
                }
                catch (Exception ex)
                {
                    Unreadable(logger, n1, ex.GetType().Name);
                }
            }
        }
        if (legacy.Count == 0) return;

        // Version 1 stored the same SourceRecord in the same format, so its bytes move over as they are.
        foreach (var (n0, n1, ext, payload, record) in legacy.OrderBy(l => l.Record.CreatedAt).ThenBy(l => l.Record.Id))
        {
            await store.Insert(new SourceRow(record.Id, record.Account, record.Type, payload, record.NextCheckAt ?? DateTimeOffset.UtcNow,
                SourceColumns.Of(record)));
            await using var delete = Command(source, DeleteLegacyRow, ("n0", n0), ("n1", n1), ("ext", ext));
            await delete.ExecuteNonQueryAsync(cancellation);
        }
        await using (var indexes = Command(source, DeleteLegacyIndexes))
            await indexes.ExecuteNonQueryAsync(cancellation);
        Imported(logger, legacy.Count);
    }

    /// <summary>Every statement here is about this service's rows.</summary>
    private DbCommand Command(DbDataSource source, string sql, params (string Name, object Value)[] parameters) =>
        source.Command(sql, [.. parameters, ("service", options.ServiceId)]);

    [LoggerMessage(Level = LogLevel.Information, Message = "Carried {Count} sources stored by schema version 1 into the sources table")]
    private static partial void Imported(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The version 1 row of source {SourceId} could not be read ({Exception}); it is left in sources_grain_state")]
    private static partial void Unreadable(ILogger logger, long sourceId, string exception);
}
