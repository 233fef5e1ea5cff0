using Sources.Api.Auth;
using Sources.Api.Requests;
using Sources.Api.Responses;
using Sources.Contracts;
using Sources.Silo.Grains.Sources;

namespace Sources.Api.Apis;

/// <summary>
/// POST /api/v1/sources/test/: a create's body, validated as a create validates it and probed as
/// a new source's first probe, with nothing kept. The secrets are sealed here, at the edge, as a
/// create's are, so they cross to the silo sealed.
/// </summary>
public static class TestSettings
{
    public static async Task<IResult> Handle(HttpContext http, [AsParameters] SourceServices services)
    {
        var (body, problem) = await JsonBody.Read(http.Request);
        if (problem is not null) return problem;
        var read = await services.Configs.Check(body!, http.RequestAborted);
        if (read.Request is not { } request) return read.Refusal!;

        var account = Caller.AccountOf(http);
        if (request is SnowflakeConnectionRequest { Password: null, PrivateKey: null, PublicKey: null })
            return new ContractResult(200, SourceViews.From(AwaitsKeyPair()));
        // A public_key names a pair Sources already holds: the trial uses it, and makes none.
        var keys = await services.Configs.Keys.Prepare(account, request);
        if (keys.Problem is not null) return Problems.Problems.Validation([keys.Problem]);

        var trialId = -Random.Shared.NextInt64(1, long.MaxValue);
        var result = await services.Grains.GetGrain<ISourceTrialGrain>(0).Probe(account, trialId, services.Configs.From(request, trialId, keys.Keys));
        return new ContractResult(200, SourceViews.From(result));
    }

    private const string KeyPairNeeded =
        "Without a password or private_key, a SNOWFLAKE source signs in with a key pair Sources makes when the source is created: " +
        "create it, then register the public key the create answers.";

    private static Silo.Probing.ProbeResult AwaitsKeyPair() =>
        Silo.Probing.ProbeResult.Failed(Silo.Probing.ProbeOutcome.AwaitingKeyRegistration, KeyPairNeeded) with { CheckedAt = DateTimeOffset.UtcNow };
}
