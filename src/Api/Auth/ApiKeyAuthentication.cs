using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Sources.Silo.Grains.Keys;

namespace Sources.Api.Auth;

/// <summary>
/// The "ApiKey" authentication scheme: <c>Authorization: Bearer &lt;key&gt;</c> with a live API key
/// signs the request in as the key's account (<see cref="Caller"/>). A value not shaped like a key
/// (<see cref="KeyShape"/>) is refused before any grain is asked. The challenge is the contract's
/// 401 problem with <c>WWW-Authenticate: Bearer</c>, whatever was wrong with the key.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The authorization policy of the API's routes: a caller this scheme signed in.</summary>
    public const string Policy = "ApiKey";

    private const string Bearer = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) || header.Length == Bearer.Length)
            return AuthenticateResult.NoResult();
        var value = header[Bearer.Length..].Trim();
        if (!KeyShape.TryParse(value, out var keyId, out _))
            return AuthenticateResult.Fail("The value is not shaped like an API key.");
        var account = await keys.Verify(value);
        if (account is null)
            return AuthenticateResult.Fail("The key is not live.");
        var identity = new ClaimsIdentity([new Claim(Caller.AccountClaim, account), new Claim(Caller.KeyIdClaim, keyId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Problems.Unauthorized().ExecuteAsync(Context);
}

public static class ApiKeyAuthenticationSetup
{
    /// <summary>The scheme and the policy the API's route group requires; no default scheme, so no other route asks for a key.</summary>
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiKeyAuthentication.Policy, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName)
            .RequireAuthenticatedUser());
        return services;
    }
}
