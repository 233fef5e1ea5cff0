using System.Data.Common;
using System.Globalization;

namespace Sources.Silo.Storage.Sources;

/// <summary>
/// The reads of an account's listing from the sources table: a page is one query, its rows'
/// payloads included, so listing asks no grain. Any node may hold one, the API's client role too:
/// it needs the database only, never the silo.
/// </summary>
public sealed class SourceListingStore : IAsyncDisposable
{
    private readonly DbDataSource _database;
    private readonly SourceListingStatements _statements;

    public SourceListingStore(StorageOptions options) : this(StorageDatabase.From(options))
    {
    }

    internal SourceListingStore(StorageDatabase database)
    {
        _database = database.CreateDataSource();
        _statements = new SourceListingStatements(sqlite: !database.IsPostgres);
    }

    public Task<ListedRow[]> Page(SourcePageQuery query) => DroppedConnections.OnceMore(_database, () => PageOnce(query));

    private async Task<ListedRow[]> PageOnce(SourcePageQuery query)
    {
        var sql = _statements.Page(query.Type is not null, query.Status, query.Search is not null);
        var parameters = new List<(string, object)> { ("account", query.Account), ("before", query.Before), ("limit", query.Limit) };
        if (query.Type is { } type) parameters.Add(("type", type));
        if (query.Search is { } search) parameters.Add(sql.Contains("@needle", StringComparison.Ordinal)
            ? ("needle", SourceSearch.Fold(search))
            : ("pattern", SourceSearch.Pattern(search)));
        // Only what the statement names: an engine may refuse a parameter it is not asked for.
        if (sql.Contains("@now", StringComparison.Ordinal)) parameters.Add(("now", query.Now.ToUnixTimeMilliseconds()));
        if (sql.Contains("@warn_until", StringComparison.Ordinal)) parameters.Add(("warn_until", query.WarnUntil.ToUnixTimeMilliseconds()));
        await using var command = _database.Command(sql, [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync();
        var page = new List<ListedRow>(query.Limit);
        while (await reader.ReadAsync())
            page.Add(new ListedRow(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        return [.. page];
    }

    /// <summary>How many sources the account holds now.</summary>
    public Task<int> Count(string account) => DroppedConnections.OnceMore(_database, () => CountOnce(account));

    private async Task<int> CountOnce(string account)
    {
        await using var command = _database.Command(SourceListingStatements.CountOfAccount, ("account", account));
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
