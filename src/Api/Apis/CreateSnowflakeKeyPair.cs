using Sources.Api.Auth;
using Sources.Api.Requests;
using Sources.Api.Responses;
using Sources.Contracts;
using Sources.Silo.Probing.Snowflake;

namespace Sources.Api.Apis;

/// <summary>
/// POST /api/v1/sources/snowflake/key-pairs/: a key pair made ahead of the connection, so the
/// public key can be registered in Snowflake first. The private key stays sealed in Sources.
/// </summary>
public static class CreateSnowflakeKeyPair
{
    public static async Task<IResult> Handle(HttpContext http, [AsParameters] SourceServices services)
    {
        string? user = null;
        // The body is optional: no body at all asks for a bare pair.
        if (http.Request.ContentLength is not 0 && (http.Request.ContentLength is not null || http.Request.ContentType is not null))
        {
            var (body, problem) = await JsonBody.Read(http.Request);
            if (problem is not null) return problem;
            var parsed = SnowflakeKeyPairRequest.Parse(body);
            if (!parsed.IsValid) return Problems.Problems.Validation(parsed.Errors);
            user = parsed.Value!.User;
        }
        var pair = await services.Configs.Keys.Create(Caller.AccountOf(http));
        return new ContractResult(201, new SnowflakeKeyPairResponse
        {
            PublicKey = pair.PublicKey,
            PublicKeySql = user is null ? null : SnowflakeKeyPairs.PublicKeySql(user, pair.PublicKey),
        }, null);
    }
}
