namespace Sources.Silo.Storage.Sources;

/// <summary>
/// The statements of <see cref="SourceStore"/> (table: Storage/Sql/&lt;Engine&gt;/0002_sources.sql).
/// Both engines take the same text except for claiming due rows, where PostgreSQL skips rows
/// another node is claiming at that moment.
/// </summary>
internal sealed record SourceStatements(string ClaimDue)
{
    public static readonly SourceStatements Postgres = new(ClaimDueSql("FOR UPDATE SKIP LOCKED"));
    public static readonly SourceStatements Sqlite = new(ClaimDueSql(""));

    public const string Read = "SELECT account, type, payload, due_at, row_version FROM sources_source WHERE id = @id";

    /// <summary>Affects no row when the id is taken: ids are never reused, so that means it exists already.</summary>
    public const string Insert = """
        INSERT INTO sources_source (id, account, type, row_version, payload, due_at)
        VALUES (@id, @account, @type, 1, @payload, @due_at)
        ON CONFLICT (id) DO NOTHING
        """;

    /// <summary>Affects no row when another writer moved the version on (or the row is gone).</summary>
    public const string Update = """
        UPDATE sources_source SET row_version = row_version + 1, payload = @payload, due_at = @due_at
        WHERE id = @id AND row_version = @row_version
        """;

    public const string Delete = "DELETE FROM sources_source WHERE id = @id";

    /// <summary>How many sources an account holds (the account index answers it).</summary>
    public const string CountOfAccount = "SELECT COUNT(*) FROM sources_source WHERE account = @account";

    public static readonly string Page = PageSql("");

    /// <summary>A statement of its own rather than an optional filter, so each keeps a plan of its own.</summary>
    public static readonly string PageOfType = PageSql("AND type = @type");

    private static string PageSql(string typeFilter) => $"""
        SELECT sequence, id, type FROM sources_source
        WHERE account = @account AND sequence < @before {typeFilter}
        ORDER BY sequence DESC LIMIT @limit
        """;

    public const string OldestDue = "SELECT MIN(due_at) FROM sources_source WHERE due_at <= @now";

    /// <summary>
    /// Moves the due time of up to @limit due rows on to @lease_until and answers their ids: whoever
    /// claimed a row pokes its grain, and if that poke is lost the row falls due again at the lease's end.
    /// A marked source (its check is doing heavy work, or stopped the node that ran it) is not claimed.
    /// </summary>
    private static string ClaimDueSql(string lockClause) => $"""
        UPDATE sources_source SET due_at = @lease_until
        WHERE id IN (SELECT id FROM sources_source WHERE due_at <= @now
            AND NOT EXISTS (SELECT 1 FROM sources_probe_mark m WHERE m.source_id = sources_source.id)
            ORDER BY due_at LIMIT @limit {lockClause})
        RETURNING id
        """;
}
