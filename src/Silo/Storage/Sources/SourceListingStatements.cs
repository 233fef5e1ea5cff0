using System.Collections.Concurrent;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// The statement of each kind of listing page, made once per combination of filters so each keeps
/// a plan of its own. A status filter is the stored status (time left out) with the credential's
/// expiry laid over it as <see cref="Grains.Sources.SourceHealth.StatusAt"/> lays it: an expired
/// credential makes any source failing, one expiring by @warn_until makes a healthy one degraded.
/// A status that time can also bring about is two index ranges, each limited, merged by sequence.
/// </summary>
internal sealed class SourceListingStatements(bool sqlite)
{
    private readonly ConcurrentDictionary<(bool Type, string? Status, bool Search), string> _made = new();

    public const string CountOfAccount = "SELECT COUNT(*) FROM sources_source WHERE account = @account";

    public string Page(bool type, string? status, bool search) =>
        _made.GetOrAdd((type, status, search), key => Make(key.Type, key.Status, key.Search));

    private string Make(bool type, string? status, bool search)
    {
        // PostgreSQL's trigram index answers LIKE; SQLite finds a substring faster with instr than with LIKE.
        var nameFilter = sqlite ? " AND instr(name_folded, @needle) > 0" : @" AND name_folded LIKE @pattern ESCAPE '\'";
        var filters = (type ? " AND type = @type" : "") + (search ? nameFilter : "");
        // SQLite is told its index: each holds the columns its page filters on (0003_source_listing.sql).
        var plain = type ? "sources_source_by_type" : "sources_source_by_account";
        const string byStatus = "sources_source_by_status", byExpiry = "sources_source_by_expiry";
        const string live = "(credential_expires_at IS NULL OR credential_expires_at > @now)";
        return status switch
        {
            null => Branch(plain, "", filters),
            "healthy" => Branch(byStatus, "AND status = 'healthy' AND (credential_expires_at IS NULL OR credential_expires_at > @warn_until)", filters),
            "degraded" => Merged(
                Branch(byStatus, $"AND status = 'degraded' AND {live}", filters),
                Branch(byExpiry, "AND status = 'healthy' AND credential_expires_at > @now AND credential_expires_at <= @warn_until", filters)),
            "failing" => Merged(
                Branch(byStatus, "AND status = 'failing'", filters),
                Branch(byExpiry, "AND status <> 'failing' AND credential_expires_at <= @now", filters)),
            // Only the stored status brings these about; the name is one of a fixed few, so it goes in as it is.
            "pending" or "awaiting_key_registration" => Branch(byStatus, $"AND status = '{status}' AND {live}", filters),
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a status a source can have."),
        };
    }

    private string Branch(string index, string statusFilter, string filters)
    {
        var where = $"WHERE account = @account AND sequence < @before {statusFilter}{filters}";
        if (!sqlite)
            return $"""
                SELECT sequence, payload FROM sources_source
                {where}
                ORDER BY sequence DESC LIMIT @limit
                """;
        // The page's sequences from the index alone (sequence is the rowid, which every index holds),
        // then the rows of those only: a row passed over is never read.
        return $"""
            SELECT sequence, payload FROM sources_source WHERE sequence IN (
                SELECT sequence FROM sources_source INDEXED BY {index}
                {where}
                ORDER BY sequence DESC LIMIT @limit)
            ORDER BY sequence DESC LIMIT @limit
            """;
    }

    private static string Merged(string first, string second) => $"""
        SELECT sequence, payload FROM ({first}) AS stored
        UNION ALL
        SELECT sequence, payload FROM ({second}) AS expiring
        ORDER BY sequence DESC LIMIT @limit
        """;
}
