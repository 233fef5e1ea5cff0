using System.Text.Json.Nodes;
using Sources.Api.Auth;
using Sources.Api.Responses;
using Sources.Api.Requests;
using Sources.Contracts;
using Sources.Silo.Grains.Sources;

namespace Sources.Api.Apis;

/// <summary>The sources resource: every route first, the handlers below.</summary>
public static class SourcesApi
{
    public static IEndpointRouteBuilder MapSourcesApi(this IEndpointRouteBuilder app)
    {
        var sources = app.MapGroup("/api/v1/sources").RequireAuthorization(ApiKeyAuthentication.Policy);
        sources.MapPost("/", CreateSource.Handle).WithRequestLimit(LimitedOperation.Create);
        sources.MapGet("/", SourceListing.Handle);
        sources.MapGet("/{id:long}/", Get);
        sources.MapPatch("/{id:long}/", Patch);
        sources.MapPatch("/{id:long}/update-config/", UpdateConfig).WithRequestLimit(LimitedOperation.UpdateConfig);
        sources.MapDelete("/{id:long}/", Delete);
        sources.MapPost("/{id:long}/test/", Test).WithRequestLimit(LimitedOperation.Test);
        sources.MapGet("/{id:long}/schema/", SourceSchema.Handle);
        sources.MapPost("/snowflake/key-pairs/", CreateSnowflakeKeyPair.Handle).WithRequestLimit(LimitedOperation.KeyPairs);
        sources.MapPost("/test/", TestSettings.Handle).WithRequestLimit(LimitedOperation.Test);
        return app;
    }

    public static async Task<IResult> Get(long id, HttpContext http, [AsParameters] SourceServices services) =>
        await services.Read(id, Caller.AccountOf(http)) is { } record
            ? new ContractResult(200, SourceViews.From(record))
            : Problems.Problems.NotFound();

    /// <summary>A merge patch of the non-secret settings; the result must still be a valid shape.</summary>
    public static async Task<IResult> Patch(long id, HttpContext http, [AsParameters] SourceServices services)
    {
        var (body, problem) = await JsonBody.Read(http.Request);
        if (problem is not null) return problem;
        var patch = SourcePatch.Parse(body);
        if (!patch.IsValid) return Problems.Problems.Validation(patch.Errors);
        if (ParseObject(body!) is not { } changes)
            return Problems.Problems.BadRequest("", "duplicate_key", "The patch names a field more than once.");

        var account = Caller.AccountOf(http);
        var grain = services.Grains.GetGrain<ISourceGrain>(id);
        if (await grain.Get(account) is not { } record) return Problems.Problems.NotFound();
        var refused = PatchRefusals.Of(changes.Select(p => p.Key), record.Type);
        if (refused.Count > 0) return Problems.Problems.Validation(refused);

        var merged = MergePatch.Apply(services.Configs.Unseal(record), changes)!;
        return await Replace(id, account, record.Version, System.Text.Encoding.UTF8.GetBytes(merged.ToJsonString()), record.Type, services);
    }

    /// <summary>The whole shape again, credentials included: a rotation.</summary>
    public static async Task<IResult> UpdateConfig(long id, HttpContext http, [AsParameters] SourceServices services)
    {
        var (body, problem) = await JsonBody.Read(http.Request);
        if (problem is not null) return problem;
        var account = Caller.AccountOf(http);
        if (await services.Grains.GetGrain<ISourceGrain>(id).Get(account) is not { } record)
            return Problems.Problems.NotFound();
        return await Replace(id, account, record.Version, body!, record.Type, services);
    }

    /// <summary>Probes now and answers the fresh result (never later than the probe deadline).</summary>
    public static async Task<IResult> Test(long id, HttpContext http, [AsParameters] SourceServices services)
    {
        var result = await services.Grains.GetGrain<ISourceGrain>(id).Test(Caller.AccountOf(http));
        return result is null ? Problems.Problems.NotFound() : new ContractResult(200, SourceViews.From(result));
    }

    public static async Task<IResult> Delete(long id, HttpContext http, [AsParameters] SourceServices services)
    {
        var account = Caller.AccountOf(http);
        if (await services.Grains.GetGrain<ISourceGrain>(id).Delete(account) == ChangeOutcome.NotFound)
            return Problems.Problems.NotFound();
        return Results.NoContent();
    }

    /// <summary>The patch as a node tree; null when a name repeats, which a node tree cannot hold.</summary>
    private static JsonObject? ParseObject(byte[] body)
    {
        try
        {
            var changes = JsonNode.Parse(body)!.AsObject();
            _ = changes.Count;
            return changes;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static async Task<IResult> Replace(long id, string account, int version, byte[] body, string type, SourceServices services)
    {
        var read = await services.Configs.Check(body, CancellationToken.None, sameTypeAs: type);
        if (read.Request is not { } request) return read.Refusal!;
        var keys = await services.Configs.Keys.Prepare(account, request);
        if (keys.Problem is not null) return Problems.Problems.Validation([keys.Problem]);

        var result = await services.Grains.GetGrain<ISourceGrain>(id)
            .Reconfigure(account, version, services.Configs.From(request, id, keys.Keys));
        return result.Outcome switch
        {
            ChangeOutcome.Done => new ContractResult(200, WithKeySql(SourceViews.From(result.Source!), keys.Keys)),
            ChangeOutcome.NotFound => Problems.Problems.NotFound(),
            _ => Problems.Problems.Conflict("The connection changed while this request ran; send it again."),
        };
    }

    /// <summary>A change that (re)generates a Snowflake key pair answers the statement to register it, as a create does.</summary>
    private static SourceView WithKeySql(SourceView view, SnowflakeKeys.Prepared? keys)
    {
        view.PublicKeySql = keys?.PublicKeySql;
        return view;
    }
}
