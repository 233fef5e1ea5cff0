using Sources.Silo.Grains.Sources;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// What a source's row holds beside its payload for the listing to filter by (0003_source_listing.sql):
/// copies of the record's fields, written with every write of the row.
/// </summary>
/// <param name="Status">The status from the last probe, time left out (<see cref="SourceHealth.Standing"/>).</param>
/// <param name="NameFolded">The name as a search matches it (<see cref="SourceSearch.Fold"/>).</param>
public sealed record SourceColumns(
    string Status,
    DateTimeOffset? CredentialExpiresAt,
    string AccountName,
    string NameFolded,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? NextCheckAt)
{
    public static SourceColumns Of(SourceRecord record) => new(
        SourceHealth.Standing(record), record.CredentialExpiresAt, record.AccountName, SourceSearch.Fold(record.AccountName),
        record.CreatedAt, record.UpdatedAt, record.NextCheckAt);

    /// <summary>The columns' statement parameters, times in Unix milliseconds.</summary>
    internal (string Name, object Value)[] Parameters() =>
    [
        ("status", Status),
        ("credential_expires_at", CredentialExpiresAt is { } expires ? SourceSearch.ExpiryMilliseconds(expires) : DBNull.Value),
        ("account_name", AccountName),
        ("name_folded", NameFolded),
        ("created_at", CreatedAt.ToUnixTimeMilliseconds()),
        ("updated_at", UpdatedAt.ToUnixTimeMilliseconds()),
        ("next_check_at", NextCheckAt is { } next ? next.ToUnixTimeMilliseconds() : DBNull.Value),
    ];
}
