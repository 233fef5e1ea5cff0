using System.Buffers.Text;
using System.Text;

namespace Sources.Probing.Tests.Support;

/// <summary>JWTs for expiry tests: the expiry check reads the payload only, the signature is filler.</summary>
public static class Jwts
{
    public static string Unsigned(DateTimeOffset exp) =>
        Part("""{"alg":"HS256","typ":"JWT"}""") + "." + Part($$"""{"exp":{{exp.ToUnixTimeSeconds()}}}""") + ".c2lnbmF0dXJl";

    private static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
