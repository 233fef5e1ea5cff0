using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Sources.Silo.Probing.Snowflake;

/// <summary>
/// The JWT of Snowflake's key-pair authentication: RS256, issuer
/// <c>ACCOUNT.USER.SHA256:&lt;fingerprint&gt;</c>, subject <c>ACCOUNT.USER</c> (upper case),
/// issued now and expiring within the hour Snowflake allows.
/// </summary>
public static class SnowflakeJwt
{
    /// <summary>Shorter than Snowflake's one-hour maximum: a clock a little ahead still passes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(59);

    public static string Create(string account, string user, RSA privateKey, DateTimeOffset now)
    {
        var subject = SnowflakeAccount.ForJwt(account) + "." + user.ToUpperInvariant();
        var fingerprint = SnowflakeKeyPairs.Fingerprint(SnowflakeKeyPairs.PublicKeyOf(privateKey));
        var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" };
        var payload = new JsonObject
        {
            ["iss"] = subject + "." + fingerprint,
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
        };
        var signingInput = Encode(header) + "." + Encode(payload);
        var signature = privateKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
