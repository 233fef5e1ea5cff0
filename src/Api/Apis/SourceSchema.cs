using Sources.Api.Auth;
using Sources.Api.Problems;
using Sources.Api.Responses;
using Sources.Contracts;
using Sources.Silo.Grains.Sources;
using Sources.Silo.Scheduling;

namespace Sources.Api.Apis;

/// <summary>
/// GET /api/v1/sources/{id}/schema/: the discovery of the source's last check, a page at a time.
/// The first page is the one kept with the source; the others come from the schema pages table,
/// written by that same check, so paging never contacts the source.
/// </summary>
public static class SourceSchema
{
    public static async Task<IResult> Handle(long id, HttpContext http, [AsParameters] SourceServices services, string? cursor = null)
    {
        (long CheckedAt, int Page)? wanted = null;
        if (cursor is not null && (wanted = DiscoveryPages.ParseCursor(cursor)) is null)
            return Problems.Problems.BadRequest("/cursor", "invalid_value", "cursor must be the next_cursor of an earlier page.");

        if (await services.Read(id, Caller.AccountOf(http)) is not { } record) return Problems.Problems.NotFound();
        if (record.LastProbe is not { DiscoveryJson: { } first } last)
            return NothingListed();
        if (wanted is not { } page)
            return Answer(last.CheckedAt, first);

        if (page.CheckedAt != last.CheckedAt.ToUnixTimeMilliseconds())
            return Problems.Problems.Conflict("The connection was checked again since this cursor's page; start again from the first page.");
        var body = await services.Grains.GetGrain<ISchemaPageGrain>(0).Page(id, last.CheckedAt, page.Page);
        return body is null
            ? Problems.Problems.Conflict("The connection's last check has no such page (it was checked again meanwhile); start again from the first page.")
            : Answer(last.CheckedAt, body);
    }

    private static IResult Answer(DateTimeOffset checkedAt, string discovery)
    {
        var (parsed, verbatim) = SourceViews.Discovered(discovery);
        if (parsed is null && verbatim is null)
            return NothingListed();
        return new ContractResult(200, new SchemaPage { CheckedAt = Rfc3339.Format(checkedAt), Discovery = parsed!, DiscoveryRawJson = verbatim });
    }

    private static ProblemResult NothingListed() => new(StatusCodes.Status404NotFound, "not-found", "Not found.",
        "The connection's last check found nothing to list (it has not been checked, or the check failed).");
}
