using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.DuckDb;
using Sources.Silo.Probing.MotherDuck;
using Sources.Silo.Secrets;

namespace Sources.Probing.Tests.MotherDuck;

/// <summary>MotherDuck settings checks, the offline extension failure, and the token's expiry.</summary>
public sealed class MotherDuckProberTests
{
    private static readonly MotherDuckProber Prober = new(new MotherDuckExtension(new MotherDuckSettings(), TimeProvider.System), new DuckDbLimits());
    private static readonly string Token = Jwts.Unsigned(DateTimeOffset.UtcNow.AddDays(30));

    private static JsonObject Settings(string database, string? token = null) =>
        new() { ["type"] = "MOTHERDUCK", ["database_name"] = database, ["token"] = token ?? Token };

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../data/local.duckdb")]
    [InlineData("local.duckdb")]
    [InlineData("md:my_db")]
    [InlineData("my_db?motherduck_token=x")]
    [InlineData("my_db?saas_mode=false")]
    [InlineData("https://example.com/db")]
    [InlineData("C:\\data\\db")]
    [InlineData(":memory:")]
    [InlineData("")]
    public void A_database_name_that_is_not_a_plain_name_is_refused(string database) =>
        Assert.Equal("/database_name", Assert.Single(Prober.Check(Settings(database))).Pointer);

    [Theory]
    [InlineData("my_db")]
    [InlineData("analytics-2026")]
    [InlineData("_scratch")]
    public void A_plain_database_name_passes(string database) => Assert.Empty(Prober.Check(Settings(database)));

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c'; ATTACH '/etc")]
    public void A_token_that_is_not_a_jwt_is_refused(string token) =>
        Assert.Equal("/token", Assert.Single(Prober.Check(Settings("my_db", token))).Pointer);

    [Fact]
    public async Task Without_the_extension_repository_the_probe_is_classified_unsupported_not_a_crash()
    {
        var settings = Probes.Settings();

        var result = await Probes.Runner(Prober, settings).Run("MOTHERDUCK", Settings("my_db"), Probes.Context, [Token], CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unsupported, result.Outcome);
        Assert.Contains("MotherDuck extension", result.Message);
        Assert.DoesNotContain("http", result.Message);
    }

    [Fact]
    public void The_tokens_exp_is_the_sources_credential_expiry()
    {
        var exp = DateTimeOffset.UtcNow.AddDays(5);

        var expiry = CredentialExpiry.Earliest(new JsonObject { ["token"] = Jwts.Unsigned(exp) });

        Assert.Equal(exp.ToUnixTimeSeconds(), expiry!.Value.ToUnixTimeSeconds());
    }
}
