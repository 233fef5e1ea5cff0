using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Secrets;

namespace Sources.Probing.Tests.Mcp;

/// <summary>An MCP access token that is a JWT gives the source its credential expiry.</summary>
public sealed class McpTokenExpiryTests
{
    [Fact]
    public void A_jwt_access_token_gives_its_exp()
    {
        var exp = DateTimeOffset.UtcNow.AddDays(3);
        var token = Jwts.Unsigned(exp);

        var earliest = CredentialExpiry.Earliest(new JsonObject { ["access_token"] = token });

        Assert.Equal(exp.ToUnixTimeSeconds(), earliest!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public void An_opaque_access_token_gives_no_expiry() =>
        Assert.Null(CredentialExpiry.Earliest(new JsonObject { ["access_token"] = "tok_123" }));
}
