namespace Sources.Silo.Storage.Sources;

/// <summary>
/// One source as the storage layer sees it: the columns it indexes and the grain's state as
/// opaque bytes. <see cref="DueAt"/> is when its next health check is due; <see cref="Columns"/>
/// are what a listing filters by: every write gives them; a read answers null for a row stored
/// before they existed and not yet filled (<see cref="SourceColumnsBackfill"/>).
/// </summary>
public sealed record SourceRow(long Id, string Account, string Type, byte[] Payload, DateTimeOffset DueAt, SourceColumns? Columns);

/// <summary>A stored row and the version a later write must name.</summary>
public sealed record StoredRow(SourceRow Row, int Version);

/// <summary>A row whose listing columns are still to be filled from its payload.</summary>
public sealed record UnfilledRow(long Sequence, long Id, byte[] Payload, int Version);
