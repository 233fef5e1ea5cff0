using Sources.Silo.Grains.Keys;

namespace Sources.Api.Auth;

/// <summary>
/// Admits requests that carry a live API key and records the key's account; everything else
/// is a 401 problem with <c>WWW-Authenticate: Bearer</c>. A value not shaped like a key
/// (<see cref="KeyShape"/>) is refused before any grain is asked.
/// </summary>
public sealed class ApiKeyFilter(ApiKeys keys) : IEndpointFilter
{
    private const string AccountItem = "sources.account";
    private const string KeyItem = "sources.key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header.Length == scheme.Length)
            return Problems.Problems.Unauthorized();
        var value = header[scheme.Length..].Trim();
        if (!KeyShape.TryParse(value, out var keyId, out _))
            return Problems.Problems.Unauthorized();
        var account = await keys.Verify(value);
        if (account is null)
            return Problems.Problems.Unauthorized();
        http.Items[AccountItem] = account;
        http.Items[KeyItem] = keyId;
        return await next(context);
    }

    /// <summary>The account the filter admitted for this request.</summary>
    public static string AccountOf(HttpContext http) => (string)http.Items[AccountItem]!;

    /// <summary>The id of the key the filter admitted for this request (public: <c>keys list</c> shows it).</summary>
    public static string KeyIdOf(HttpContext http) => (string)http.Items[KeyItem]!;
}
