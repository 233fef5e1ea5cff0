using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Snowflake;

namespace Sources.Probing.Tests.Snowflake;

/// <summary>
/// A statement the SQL API first answers 202 is polled until its own answer is done, and an
/// encrypted key that asks for more PBKDF2 iterations than the bound is refused before any work.
/// </summary>
public sealed class SnowflakeAsyncAndKeyBoundTests
{
    private static readonly SnowflakeKeyPairs Pairs = new();

    [Fact]
    public async Task Statements_first_answered_202_are_polled_until_done_and_no_further()
    {
        await using var snowflake = await FakeSnowflake.Start(new FakeSnowflake { StillRunningPolls = 2 });
        var pair = Pairs.Generate();
        snowflake.RegisterKey("LOADER", pair.PublicKey);
        var probing = Probes.Settings(deadlineSeconds: 10);
        var prober = new SnowflakeProber(Probes.Loopback, new SnowflakeSettings { BaseUrl = snowflake.BaseUrl }, TimeProvider.System);
        var settings = new JsonObject
        {
            ["type"] = "SNOWFLAKE", ["account"] = "xy12345", ["user"] = "LOADER",
            ["public_key"] = pair.PublicKey, ["private_key"] = pair.PrivateKeyPem,
        };

        var result = await Probes.Runner(prober, probing).Run("SNOWFLAKE", settings, Probes.Context, [], CancellationToken.None);

        Assert.True(ProbeOutcome.Ok == result.Outcome, result.Message);
        Assert.Equal(FakeSnowflake.Version, result.ServerVersion);
        // Six statements (version, databases, schemas, objects, columns, primary keys), each polled
        // three times: twice still running, then done.
        Assert.Equal(18, snowflake.Polls);
    }

    [Theory]
    [InlineData(SnowflakePrivateKeys.MaxIterations + 1L)]
    [InlineData(int.MaxValue)]
    public void A_key_over_the_iteration_bound_is_refused_at_the_key_before_decrypting(long iterations)
    {
        using var rsa = RSA.Create(2048);
        var pem = WithIterations(SnowflakeKeyTests.EncryptedPem(rsa, "pass"), iterations);
        var started = Stopwatch.StartNew();

        var opened = SnowflakePrivateKeys.Open(pem, "pass");

        Assert.Null(opened.Key);
        Assert.Equal("/private_key", opened.Problem!.Pointer);
        Assert.Contains("1,000,000", opened.Problem.Message);
        Assert.Equal(iterations, SnowflakePrivateKeys.Iterations(pem));
        // 2³¹ iterations would be minutes of one core; a million, under a second.
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), $"took {started.Elapsed}");
    }

    [Fact]
    public void A_key_within_the_bound_still_opens()
    {
        using var rsa = RSA.Create(2048);
        var pem = SnowflakeKeyTests.EncryptedPem(rsa, "pass");

        Assert.Equal(100_000, SnowflakePrivateKeys.Iterations(pem));
        Assert.NotNull(SnowflakePrivateKeys.Open(pem, "pass").Key);
    }

    [Fact]
    public void Check_refuses_an_over_bound_key_with_a_problem_naming_the_key()
    {
        using var rsa = RSA.Create(2048);
        var prober = new SnowflakeProber(Probes.Loopback, new SnowflakeSettings(), TimeProvider.System);
        var settings = new JsonObject
        {
            ["type"] = "SNOWFLAKE", ["account"] = "xy12345", ["user"] = "LOADER",
            ["private_key"] = WithIterations(SnowflakeKeyTests.EncryptedPem(rsa, "pass"), int.MaxValue), ["private_key_passphrase"] = "pass",
        };

        Assert.Equal("/private_key", Assert.Single(prober.Check(settings)).Pointer);
    }

    /// <summary>The same PBES2 key with its PBKDF2 iteration count rewritten, as a hostile key file would carry it.</summary>
    private static string WithIterations(string pem, long iterations)
    {
        var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var algorithm = info.ReadSequence();
        var scheme = algorithm.ReadObjectIdentifier();
        var pbes2 = algorithm.ReadSequence();
        var kdf = pbes2.ReadSequence();
        var kdfOid = kdf.ReadObjectIdentifier();
        var parameters = kdf.ReadSequence();
        var salt = parameters.ReadOctetString();
        parameters.ReadInteger();
        var restOfParameters = new List<ReadOnlyMemory<byte>>();
        while (parameters.HasData) restOfParameters.Add(parameters.ReadEncodedValue());
        var encryption = pbes2.ReadEncodedValue();
        var data = info.ReadOctetString();

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(scheme);
                using (writer.PushSequence())
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(kdfOid);
                        using (writer.PushSequence())
                        {
                            writer.WriteOctetString(salt);
                            writer.WriteInteger(iterations);
                            foreach (var value in restOfParameters) writer.WriteEncodedValue(value.Span);
                        }
                    }
                    writer.WriteEncodedValue(encryption.Span);
                }
            }
            writer.WriteOctetString(data);
        }
        return PemEncoding.WriteString("ENCRYPTED PRIVATE KEY", writer.Encode());
    }
}
