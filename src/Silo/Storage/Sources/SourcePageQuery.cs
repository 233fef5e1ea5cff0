namespace Sources.Silo.Storage.Sources;

/// <summary>
/// One page of an account's listing: up to <see cref="Limit"/> sources created before the
/// <see cref="Before"/> sequence, newest first, of <see cref="Type"/>, whose status as of
/// <see cref="Now"/> is <see cref="Status"/>, and whose name contains <see cref="Search"/>
/// (each when given). A credential expiring by <see cref="WarnUntil"/> makes a healthy source degraded.
/// </summary>
public sealed record SourcePageQuery(
    string Account,
    long Before,
    int Limit,
    string? Type,
    string? Status,
    string? Search,
    DateTimeOffset Now,
    DateTimeOffset WarnUntil);

/// <summary>A source in a listing page: its place (<see cref="Sequence"/>, the cursor) and its stored payload.</summary>
public sealed record ListedRow(long Sequence, byte[] Payload);
