using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Sources.Silo.Probing.Snowflake;

namespace Sources.Probing.Tests.Snowflake;

/// <summary>Key pairs, the ALTER USER statement and the JWT, without any server.</summary>
public sealed class SnowflakeKeyTests
{
    private static readonly SnowflakeKeyPairs Pairs = new();

    [Fact]
    public void A_generated_pair_is_rsa_2048_with_a_pkcs8_private_key_and_a_bare_spki_public_key()
    {
        var pair = Pairs.Generate();

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pair.PrivateKeyPem);
        Assert.DoesNotContain("-----", pair.PublicKey);
        Assert.DoesNotContain("\n", pair.PublicKey);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pair.PrivateKeyPem);
        Assert.Equal(2048, rsa.KeySize);
        Assert.Equal(Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()), pair.PublicKey);
        Assert.Equal("SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(pair.PublicKey))), pair.Fingerprint);
    }

    [Fact]
    public void Two_pairs_differ() => Assert.NotEqual(Pairs.Generate().PublicKey, Pairs.Generate().PublicKey);

    [Theory]
    [InlineData("LOADER", "LOADER")]
    [InlineData("analyst_1$", "analyst_1$")]
    [InlineData("first.last@example.com", "\"first.last@example.com\"")]
    [InlineData("my user", "\"my user\"")]
    [InlineData("we\"ird", "\"we\"\"ird\"")]
    [InlineData("1st", "\"1st\"")]
    public void The_statement_quotes_the_user_only_when_snowflake_needs_it(string user, string spelled)
    {
        var sql = SnowflakeKeyPairs.PublicKeySql(user, "MIIBIjAN");

        Assert.Equal($"ALTER USER {spelled} SET RSA_PUBLIC_KEY='MIIBIjAN';", sql);
    }

    [Theory]
    [InlineData("xy12345", "XY12345")]
    [InlineData("xy12345.us-east-1", "XY12345")]
    [InlineData("xy12345.us-east-2.aws", "XY12345")]
    [InlineData("myorg-myaccount", "MYORG-MYACCOUNT")]
    public void The_jwt_names_the_account_without_region_or_cloud(string account, string named) =>
        Assert.Equal(named, SnowflakeAccount.ForJwt(account));

    [Theory]
    [InlineData("xy12345.us-east-1", "https://xy12345.us-east-1.snowflakecomputing.com/")]
    [InlineData("MyOrg-My_Account", "https://myorg-my-account.snowflakecomputing.com/")]
    public void The_account_maps_to_its_snowflakecomputing_host(string account, string url) =>
        Assert.Equal(url, SnowflakeAccount.BaseUrl(account, new SnowflakeSettings()).ToString());

    [Fact]
    public void The_jwt_carries_snowflakes_claims_and_verifies_with_the_public_key()
    {
        var pair = Pairs.Generate();
        using var key = RSA.Create();
        key.ImportFromPem(pair.PrivateKeyPem);
        var now = DateTimeOffset.UtcNow;

        var jwt = SnowflakeJwt.Create("xy12345.us-east-1", "loader", key, now);

        var parts = jwt.Split('.');
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
        Assert.Equal("RS256", header["alg"]!.GetValue<string>());
        Assert.Equal("XY12345.LOADER", payload["sub"]!.GetValue<string>());
        Assert.Equal("XY12345.LOADER." + pair.Fingerprint, payload["iss"]!.GetValue<string>());
        var iat = payload["iat"]!.GetValue<long>();
        var exp = payload["exp"]!.GetValue<long>();
        Assert.Equal(now.ToUnixTimeSeconds(), iat);
        Assert.InRange(exp - iat, 1, 3600);
        using var verifier = RSA.Create();
        verifier.ImportSubjectPublicKeyInfo(Convert.FromBase64String(pair.PublicKey), out _);
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.True(SnowflakeJwtCheck.Accepts(jwt, "XY12345", u => u == "LOADER" ? pair.PublicKey : null, now));
    }

    [Fact]
    public void A_jwt_signed_by_another_key_is_refused_by_the_check()
    {
        var registered = Pairs.Generate();
        using var other = RSA.Create(2048);

        var jwt = SnowflakeJwt.Create("xy12345", "LOADER", other, DateTimeOffset.UtcNow);

        Assert.False(SnowflakeJwtCheck.Accepts(jwt, "XY12345", _ => registered.PublicKey, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void An_expired_jwt_is_refused_by_the_check()
    {
        var pair = Pairs.Generate();
        using var key = RSA.Create();
        key.ImportFromPem(pair.PrivateKeyPem);

        var jwt = SnowflakeJwt.Create("xy12345", "LOADER", key, DateTimeOffset.UtcNow.AddHours(-2));

        Assert.False(SnowflakeJwtCheck.Accepts(jwt, "XY12345", _ => pair.PublicKey, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void An_unencrypted_pkcs8_key_opens()
    {
        using var rsa = RSA.Create(2048);
        var opened = SnowflakePrivateKeys.Open(rsa.ExportPkcs8PrivateKeyPem(), null);

        Assert.Null(opened.Problem);
        Assert.Equal(SnowflakeKeyPairs.PublicKeyOf(rsa), SnowflakeKeyPairs.PublicKeyOf(opened.Key!));
    }

    [Fact]
    public void An_encrypted_pkcs8_key_opens_with_its_passphrase()
    {
        using var rsa = RSA.Create(2048);
        var pem = EncryptedPem(rsa, "correct horse");

        var opened = SnowflakePrivateKeys.Open(pem, "correct horse");

        Assert.Null(opened.Problem);
        Assert.Equal(SnowflakeKeyPairs.PublicKeyOf(rsa), SnowflakeKeyPairs.PublicKeyOf(opened.Key!));
    }

    [Theory]
    [InlineData("wrong", "/private_key_passphrase")]
    [InlineData(null, "/private_key_passphrase")]
    public void An_encrypted_key_without_its_passphrase_is_a_problem_at_the_passphrase(string? passphrase, string pointer)
    {
        using var rsa = RSA.Create(2048);

        var opened = SnowflakePrivateKeys.Open(EncryptedPem(rsa, "correct horse"), passphrase);

        Assert.Null(opened.Key);
        Assert.Equal(pointer, opened.Problem!.Pointer);
    }

    [Fact]
    public void A_key_that_is_not_pem_is_a_problem_at_the_key()
    {
        var opened = SnowflakePrivateKeys.Open("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----", null);

        Assert.Equal("/private_key", opened.Problem!.Pointer);
    }

    [Fact]
    public void A_public_key_in_pem_armour_normalises_to_bare_base64()
    {
        var pair = Pairs.Generate();
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pair.PrivateKeyPem);

        Assert.Equal(pair.PublicKey, SnowflakeKeyPairs.NormalisePublicKey(rsa.ExportSubjectPublicKeyInfoPem()));
        Assert.Null(SnowflakeKeyPairs.NormalisePublicKey("not a key"));
    }

    internal static string EncryptedPem(RSA rsa, string passphrase) =>
        rsa.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000));
}
