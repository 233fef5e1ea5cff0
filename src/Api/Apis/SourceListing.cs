using System.Globalization;
using Sources.Api.Responses;
using Sources.Api.Auth;
using Sources.Contracts;
using Sources.Silo.Storage.Sources;
using Sources.Silo.Grains.Sources;

namespace Sources.Api.Apis;

/// <summary>GET /api/v1/sources/: the account's sources, newest first, by cursor.</summary>
public static class SourceListing
{
    private static readonly string[] Statuses =
        [SourceStatus.Pending, SourceStatus.Healthy, SourceStatus.Degraded, SourceStatus.Failing, SourceStatus.AwaitingKeyRegistration];

    public static async Task<IResult> Handle(HttpContext http, [AsParameters] SourceServices services,
        string? limit = null, string? cursor = null, string? type = null, string? status = null, string? q = null)
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
        if (q is not null && q.Length is < 1 or > SourceSearch.MaxLength)
            errors.Add(new SchemaError("/q", q.Length == 0 ? "min_length" : "max_length", $"q must be 1 to {SourceSearch.MaxLength} characters."));
        else if (q is not null && q.Any(char.IsControl))
            // PostgreSQL text holds no NUL, and no display name holds a control character.
            errors.Add(new SchemaError("/q", "pattern", "q must not hold control characters."));
        if (errors.Count > 0) return Problems.Problems.Validation(errors);

        var page = await services.Listing.Page(Caller.AccountOf(http), before, pageSize, wantedType, status, q);
        return new ContractResult(200, new SourcePage
        {
            Items = page.Items.Select(SourceViews.From).ToList(),
            NextCursor = page.NextBefore?.ToString(CultureInfo.InvariantCulture),
        });
    }
}
