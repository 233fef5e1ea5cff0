using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Network;
using Sources.Silo.Probing.Snowflake;
using Sources.TestServers;

namespace Sources.Probing.Tests.Snowflake;

/// <summary>The prober's HTTP exchange with a loopback Snowflake that checks JWTs as Snowflake does.</summary>
public sealed class SnowflakeProberTests : IAsyncLifetime
{
    private static readonly SnowflakeKeyPairs Pairs = new();
    private FakeSnowflake _snowflake = null!;

    public async Task InitializeAsync() => _snowflake = await FakeSnowflake.Start(new FakeSnowflake());

    public async Task DisposeAsync() => await _snowflake.DisposeAsync();

    private SnowflakeProber Prober(NetworkPolicy? network = null, string? baseUrl = null) =>
        new(network ?? Probes.Loopback, new SnowflakeSettings { BaseUrl = baseUrl ?? _snowflake.BaseUrl }, TimeProvider.System);

    /// <summary>A source as Sources stores a generated pair: the public key in the settings, the private key among the secrets.</summary>
    private static JsonObject HeldPair(SnowflakeKeyPairs.KeyPair pair, string? warehouse = null)
    {
        var settings = new JsonObject
        {
            ["type"] = "SNOWFLAKE", ["account"] = "xy12345.us-east-1", ["user"] = "loader",
            ["public_key"] = pair.PublicKey, ["private_key"] = pair.PrivateKeyPem,
        };
        if (warehouse is not null) settings["warehouse"] = warehouse;
        return settings;
    }

    private static JsonObject OwnKey(string pem, string? passphrase = null)
    {
        var settings = new JsonObject { ["type"] = "SNOWFLAKE", ["account"] = "xy12345", ["user"] = "LOADER", ["private_key"] = pem };
        if (passphrase is not null) settings["private_key_passphrase"] = passphrase;
        return settings;
    }

    [Fact]
    public async Task A_generated_key_waits_for_registration_then_works_once_registered()
    {
        var pair = Pairs.Generate();

        var before = await Prober().Probe(HeldPair(pair), Probes.Context, CancellationToken.None);
        Assert.Equal(ProbeOutcome.AwaitingKeyRegistration, before.Outcome);
        Assert.Contains("public_key_sql", before.Message);

        _snowflake.RegisterKey("LOADER", pair.PublicKey);
        var after = await Prober().Probe(HeldPair(pair), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, after.Outcome);
        Assert.Equal(FakeSnowflake.Version, after.ServerVersion);
        var discovery = JsonNode.Parse(after.DiscoveryJson!)!;
        Assert.Equal(["ANALYTICS", "SNOWFLAKE"], discovery["databases"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Contains(discovery["database_schemas"]!.AsArray(), s => s!["database"]!.GetValue<string>() == "ANALYTICS" && s["name"]!.GetValue<string>() == "SALES");
        Assert.All(_snowflake.TokenTypes, t => Assert.Equal("KEYPAIR_JWT", t));
    }

    [Fact]
    public async Task A_users_own_key_that_is_not_the_registered_one_is_auth_failed()
    {
        _snowflake.RegisterKey("LOADER", Pairs.Generate().PublicKey);
        using var other = RSA.Create(2048);

        var result = await Prober().Probe(OwnKey(other.ExportPkcs8PrivateKeyPem()), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
    }

    [Fact]
    public async Task A_users_own_encrypted_key_that_is_registered_works()
    {
        using var rsa = RSA.Create(2048);
        _snowflake.RegisterKey("LOADER", SnowflakeKeyPairs.PublicKeyOf(rsa));

        var result = await Prober().Probe(OwnKey(SnowflakeKeyTests.EncryptedPem(rsa, "s3cret pass"), "s3cret pass"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
    }

    [Fact]
    public async Task A_warehouse_that_exists_gives_no_warning()
    {
        var pair = Pairs.Generate();
        _snowflake.RegisterKey("LOADER", pair.PublicKey);

        var result = await Prober().Probe(HeldPair(pair, "compute_wh"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task A_warehouse_that_does_not_exist_is_named_in_a_warning()
    {
        var pair = Pairs.Generate();
        _snowflake.RegisterKey("LOADER", pair.PublicKey);

        var result = await Prober().Probe(HeldPair(pair, "NO_SUCH_WH"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Contains("NO_SUCH_WH", Assert.Single(result.Warnings));
    }

    [Fact]
    public async Task The_password_path_signs_in_as_the_drivers_do()
    {
        _snowflake.SetPassword("analyst", "right-password");
        var settings = new JsonObject { ["type"] = "SNOWFLAKE", ["account"] = "xy12345", ["user"] = "analyst", ["password"] = "right-password" };

        var result = await Prober().Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Contains("ANALYTICS", JsonNode.Parse(result.DiscoveryJson!)!["databases"]!.AsArray().Select(d => d!.GetValue<string>()));
    }

    [Fact]
    public async Task A_wrong_password_is_auth_failed()
    {
        _snowflake.SetPassword("analyst", "right-password");
        var settings = new JsonObject { ["type"] = "SNOWFLAKE", ["account"] = "xy12345", ["user"] = "analyst", ["password"] = "wrong-password" };

        var result = await Prober().Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
        Assert.DoesNotContain("wrong-password", result.Message);
    }

    [Fact]
    public async Task A_port_nobody_listens_on_is_unreachable()
    {
        var result = await Prober(baseUrl: $"http://127.0.0.1:{FreePort.Next()}").Probe(HeldPair(Pairs.Generate()), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
    }

    [Fact]
    public async Task A_server_that_never_answers_ends_at_the_deadline()
    {
        using var silent = new SilentListener();
        var settings = Probes.Settings(deadlineSeconds: 2);
        var runner = Probes.Runner(Prober(baseUrl: $"http://127.0.0.1:{silent.Port}"), settings);

        var result = await runner.Run("SNOWFLAKE", HeldPair(Pairs.Generate()), Probes.Context, [], CancellationToken.None);

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
    }

    [Fact]
    public async Task A_denied_address_is_refused()
    {
        var result = await Prober(network: Probes.Strict).Probe(HeldPair(Pairs.Generate()), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
        Assert.Equal(NetworkPolicy.DeniedMessage, result.Message);
    }

    [Theory]
    [InlineData("account", "https://evil.example.com/")]
    [InlineData("account", "xy12345.us-east-1.aws.extra")]
    [InlineData("public_key", "not a key")]
    [InlineData("private_key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")]
    public void Check_names_the_field_that_is_wrong(string field, string value)
    {
        var settings = new JsonObject { ["type"] = "SNOWFLAKE", ["account"] = "xy12345", ["user"] = "LOADER", [field] = value };

        var problem = Assert.Single(Prober().Check(settings));

        Assert.Equal("/" + field, problem.Pointer);
    }

    [Fact]
    public void Check_accepts_a_create_without_credentials_since_sources_generates_the_pair() =>
        Assert.Empty(Prober().Check(new JsonObject { ["type"] = "SNOWFLAKE", ["account"] = "myorg-myaccount", ["user"] = "LOADER" }));
}
