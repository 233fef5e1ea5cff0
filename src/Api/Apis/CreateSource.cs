using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Sources.Api.Auth;
using Sources.Api.Responses;
using Sources.Api.Requests;
using Sources.Contracts;
using Sources.Silo.Grains.Idempotency;
using Sources.Silo.Grains.Sources;

namespace Sources.Api.Apis;

/// <summary>
/// POST /api/v1/sources/: validate, seal, hand the source to its grain, which stores it. A create
/// that fails leaves nothing behind; one that answered 201 is stored.
/// </summary>
public static class CreateSource
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static async Task<IResult> Handle(HttpContext http, [AsParameters] SourceServices services, [FromServices] LimitSettings limits)
    {
        var (body, problem) = await JsonBody.Read(http.Request);
        if (problem is not null) return problem;
        var account = Caller.AccountOf(http);

        var key = http.Request.Headers[IdempotencyHeader].ToString();
        if (key.Length == 0)
            return await Create(account, body!, services, limits);
        if (key.Length > 255)
            return Problems.Problems.BadRequest("", "invalid_value", "Idempotency-Key may be at most 255 characters.");

        var claims = services.Grains.GetGrain<IIdempotencyGrain>(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(account + "\n" + key))));
        var bodyHash = SHA256.HashData(body!);
        var claim = await claims.Claim(bodyHash);
        switch (claim.Outcome)
        {
            case ClaimOutcome.Replay:
                return new StoredResult(claim.Response!);
            case ClaimOutcome.Conflict:
                return Problems.Problems.Conflict("This Idempotency-Key was used with another body.");
            case ClaimOutcome.InProgress:
                return Problems.Problems.Conflict("A request with this Idempotency-Key is still in progress.");
        }

        IResult result;
        try
        {
            result = await Create(account, body!, services, limits);
        }
        catch
        {
            await claims.Release(bodyHash);
            throw;
        }
        if (result is ContractResult { StatusCode: 201 } created)
            await claims.Complete(bodyHash, new StoredResponse(201, Encoding.UTF8.GetString(JsonOutput.ToUtf8(created.Body)), created.Location));
        else
            await claims.Release(bodyHash);
        return result;
    }

    private static async Task<IResult> Create(string account, byte[] body, SourceServices services, LimitSettings limits)
    {
        var read = await services.Configs.Check(body, CancellationToken.None);
        if (read.Request is not { } request) return read.Refusal!;
        var keys = await services.Configs.Keys.Prepare(account, request);
        if (keys.Problem is not null) return Problems.Problems.Validation([keys.Problem]);
        // Counted before each create: creates of one account running at the same moment may pass together.
        if (limits.SourcesPerAccount > 0 && await services.Listing.Count(account) >= limits.SourcesPerAccount)
            return Problems.Problems.SourceQuota(limits.SourcesPerAccount);

        var id = await services.Ids.Next();
        // One row is the source and its place in the account's listing, so a create is stored whole or not at all.
        var config = services.Configs.From(request, id, keys.Keys);
        var registered = await services.Retry.Run(async attempt =>
        {
            var outcome = (await services.Grains.GetGrain<ISourceGrain>(id).Register(account, config)).Outcome;
            // The id is this request's alone, so a row under it that a repeated attempt finds is the
            // one the attempt cut off by the lost node stored.
            return outcome == ChangeOutcome.AlreadyExists && attempt > 1 ? ChangeOutcome.Done : outcome;
        });
        if (registered != ChangeOutcome.Done)
            throw new InvalidOperationException($"Source id {id} was handed out twice.");
        return new ContractResult(201, new CreateSourceResponse { Id = id, PublicKeySql = keys.Keys?.PublicKeySql }, SourceViews.Location(id));
    }

    /// <summary>The first answer to an Idempotency-Key, given again.</summary>
    private sealed class StoredResult(StoredResponse stored) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = stored.StatusCode;
            context.Response.ContentType = "application/json";
            if (stored.Location is not null) context.Response.Headers.Location = stored.Location;
            context.Response.Headers["Idempotent-Replayed"] = "true";
            await context.Response.WriteAsync(stored.Body, context.RequestAborted);
        }
    }
}
