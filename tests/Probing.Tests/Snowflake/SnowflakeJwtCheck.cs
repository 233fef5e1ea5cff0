using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Sources.Probing.Tests.Snowflake;

/// <summary>
/// What Snowflake documents it checks in a key-pair JWT, written independently of the prober:
/// RS256; subject ACCOUNT.USER in upper case; issuer the subject plus ".SHA256:" and the
/// fingerprint of the key registered for that user; a signature that verifies with that key;
/// issued no later than now, not expired, and living at most one hour.
/// </summary>
public static class SnowflakeJwtCheck
{
    public static bool Accepts(string jwt, string account, Func<string, string?> registeredKeyOf, DateTimeOffset now)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return false;
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        if (header["alg"]?.GetValue<string>() != "RS256") return false;

        var sub = payload["sub"]?.GetValue<string>() ?? "";
        var prefix = account + ".";
        if (!sub.StartsWith(prefix, StringComparison.Ordinal) || sub != sub.ToUpperInvariant()) return false;
        var user = sub[prefix.Length..];
        if (registeredKeyOf(user) is not { } publicKey) return false;

        var fingerprint = "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(publicKey)));
        if (payload["iss"]?.GetValue<string>() != sub + "." + fingerprint) return false;

        var iat = payload["iat"]!.GetValue<long>();
        var exp = payload["exp"]!.GetValue<long>();
        var nowSeconds = now.ToUnixTimeSeconds();
        if (iat > nowSeconds + 60 || exp <= nowSeconds || exp - iat > 3600) return false;

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
        return rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
