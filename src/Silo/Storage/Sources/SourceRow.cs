namespace Sources.Silo.Storage.Sources;

/// <summary>
/// One source as the storage layer sees it: the columns it indexes and the grain's state as
/// opaque bytes. <see cref="DueAt"/> is when its next health check is due.
/// </summary>
public sealed record SourceRow(long Id, string Account, string Type, byte[] Payload, DateTimeOffset DueAt);

/// <summary>A stored row and the version a later write must name.</summary>
public sealed record StoredRow(SourceRow Row, int Version);

/// <summary>A source in its account's listing; <see cref="Sequence"/> orders creation and serves as the cursor.</summary>
[GenerateSerializer, Immutable, Alias("Sources.SourceListEntry")]
public sealed record SourceListEntry([property: Id(0)] long Sequence, [property: Id(1)] long Id, [property: Id(2)] string Type);
