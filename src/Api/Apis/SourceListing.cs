using System.Globalization;
using Sources.Api.Responses;
using Sources.Api.Auth;
using Sources.Contracts;
using Sources.Silo.Grains.Accounts;
using Sources.Silo.Grains.Sources;

namespace Sources.Api.Apis;

/// <summary>GET /api/v1/sources/: the account's sources, newest first, by cursor.</summary>
public static class SourceListing
{
    private static readonly string[] Statuses =
        [SourceStatus.Pending, SourceStatus.Healthy, SourceStatus.Degraded, SourceStatus.Failing, SourceStatus.AwaitingKeyRegistration];

    public static async Task<IResult> Handle(HttpContext http, [AsParameters] SourceServices services,
        string? limit = null, string? cursor = null, string? type = null, string? status = null)
    {
        var errors = new List<SchemaError>();
        var pageSize = 20;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 100))
            errors.Add(new SchemaError("/limit", "maximum", "limit must be a whole number from 1 to 100."));
        var before = long.MaxValue;
        if (cursor is not null && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out before) || before < 1))
            errors.Add(new SchemaError("/cursor", "invalid_value", "cursor must be the next_cursor of an earlier page."));
        var wantedType = type?.ToUpperInvariant();
        if (wantedType is not null && CreateSourceRequest.TypeFor(wantedType) is null)
            errors.Add(new SchemaError("/type", "enum", $"type must be one of: {string.Join(", ", CreateSourceRequest.Discriminators)}."));
        if (status is not null && !Statuses.Contains(status))
            errors.Add(new SchemaError("/status", "enum", $"status must be one of: {string.Join(", ", Statuses)}."));
        if (errors.Count > 0) return Problems.Problems.Validation(errors);

        var account = Caller.AccountOf(http);
        var index = services.Grains.GetGrain<IAccountGrain>(account);
        var items = new List<SourceView>(pageSize);
        string? next = null;
        while (items.Count < pageSize)
        {
            var entries = await index.Page(before, pageSize + 1, wantedType);
            if (entries.Length == 0) break;
            var records = await Task.WhenAll(entries.Select(e => services.Grains.GetGrain<ISourceGrain>(e.Id).Get(account)));
            for (var i = 0; i < entries.Length; i++)
            {
                before = entries[i].Sequence;
                if (records[i] is not { } record || (status is not null && record.Status != status)) continue;
                if (items.Count == pageSize)
                {
                    // One more match exists: the page ends just after the last item shown.
                    next = (entries[i].Sequence + 1).ToString(CultureInfo.InvariantCulture);
                    break;
                }
                items.Add(SourceViews.From(record));
            }
            if (next is not null || entries.Length <= pageSize) break;
        }
        return new ContractResult(200, new SourcePage { Items = items, NextCursor = next });
    }
}
