using System.Security.Claims;

namespace Sources.Api.Auth;

/// <summary>Who a request of the API's routes comes from, as <see cref="ApiKeyAuthentication"/> signed it in.</summary>
public static class Caller
{
    public const string AccountClaim = "sources:account";
    public const string KeyIdClaim = "sources:key_id";

    /// <summary>The account of the key the request was signed in with.</summary>
    public static string AccountOf(HttpContext http) => Claim(http.User, AccountClaim);

    /// <summary>The id of that key (public: <c>keys list</c> shows it).</summary>
    public static string KeyIdOf(HttpContext http) => Claim(http.User, KeyIdClaim);

    private static string Claim(ClaimsPrincipal user, string type) =>
        user.FindFirst(type)?.Value ?? throw new InvalidOperationException($"The request was not signed in by {ApiKeyAuthentication.SchemeName}: its route must require the {ApiKeyAuthentication.Policy} policy.");
}
