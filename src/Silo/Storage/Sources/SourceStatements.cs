namespace Sources.Silo.Storage.Sources;

/// <summary>
/// The statements of <see cref="SourceStore"/> (table: Storage/Sql/&lt;Engine&gt;/0002_sources.sql and 0003_source_listing.sql).
/// Both engines take the same text except for claiming due rows, where PostgreSQL skips rows
/// another node is claiming at that moment.
/// </summary>
internal sealed record SourceStatements(string ClaimDue)
{
    public static readonly SourceStatements Postgres = new(ClaimDueSql("SELECT json_array_elements_text(CAST(@skip AS json))", "FOR UPDATE SKIP LOCKED"));
    public static readonly SourceStatements Sqlite = new(ClaimDueSql("SELECT value FROM json_each(@skip)", ""));

    public const string Read = """
        SELECT account, type, payload, due_at, row_version,
               status, credential_expires_at, account_name, name_folded, created_at, updated_at, next_check_at
        FROM sources_source WHERE id = @id
        """;

    /// <summary>Affects no row when the id is taken: ids are never reused, so that means it exists already.</summary>
    public const string Insert = """
        INSERT INTO sources_source (id, account, type, row_version, payload, due_at,
            status, credential_expires_at, account_name, name_folded, created_at, updated_at, next_check_at)
        VALUES (@id, @account, @type, 1, @payload, @due_at,
            @status, @credential_expires_at, @account_name, @name_folded, @created_at, @updated_at, @next_check_at)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <summary>Affects no row when another writer moved the version on (or the row is gone).</summary>
    public const string Update = """
        UPDATE sources_source SET row_version = row_version + 1, payload = @payload, due_at = @due_at,
            status = @status, credential_expires_at = @credential_expires_at, account_name = @account_name,
            name_folded = @name_folded, created_at = @created_at, updated_at = @updated_at, next_check_at = @next_check_at
        WHERE id = @id AND row_version = @row_version
        """;

    /// <summary>Rows stored before the listing's columns existed, a batch at a time in creation order.</summary>
    public const string Unfilled = """
        SELECT sequence, id, payload, row_version FROM sources_source
        WHERE status IS NULL AND sequence > @after ORDER BY sequence LIMIT @limit
        """;

    /// <summary>
    /// Fills the listing's columns of a row as its payload says, leaving its version alone (nothing
    /// about the source changes); affects no row when its grain wrote it since, columns included.
    /// </summary>
    public const string Fill = """
        UPDATE sources_source SET status = @status, credential_expires_at = @credential_expires_at,
            account_name = @account_name, name_folded = @name_folded, created_at = @created_at,
            updated_at = @updated_at, next_check_at = @next_check_at
        WHERE id = @id AND row_version = @row_version
        """;

    public const string Delete = "DELETE FROM sources_source WHERE id = @id";

    public const string OldestDue = "SELECT MIN(due_at) FROM sources_source WHERE due_at <= @now";

    /// <summary>
    /// Moves the due time of up to @limit due rows on to @lease_until and answers their ids: whoever
    /// claimed a row pokes its grain, and if that poke is lost the row falls due again at the lease's end.
    /// A marked source (its check is doing heavy work, or stopped the node that ran it) is not claimed,
    /// nor a source of an account in @skip (a JSON array of account names).
    /// </summary>
    private static string ClaimDueSql(string skipped, string lockClause) => $"""
        UPDATE sources_source SET due_at = @lease_until
        WHERE id IN (SELECT id FROM sources_source WHERE due_at <= @now
            AND NOT EXISTS (SELECT 1 FROM sources_probe_mark m WHERE m.source_id = sources_source.id)
            AND account NOT IN ({skipped})
            ORDER BY due_at LIMIT @limit {lockClause})
        RETURNING id
        """;
}
