using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.BigQuery;
using Sources.Silo.Probing.Network;
using Sources.TestServers;

namespace Sources.Probing.Tests.BigQuery;

/// <summary>The BigQuery prober's key handling and its exchange with a loopback Google that checks the assertion.</summary>
public sealed class BigQueryProberTests : IAsyncLifetime, IDisposable
{
    private const string Email = "reader@my-project.iam.gserviceaccount.com";
    private readonly RSA _key = RSA.Create(2048);
    private FakeGoogle _google = null!;

    public async Task InitializeAsync()
    {
        _google = await FakeGoogle.Start();
        _google.RegisterAccount(Email, PublicKey(_key));
        _google.AddProject("my-project", "events", "sales");
    }

    public async Task DisposeAsync() => await _google.DisposeAsync();

    public void Dispose() => _key.Dispose();

    private static string PublicKey(RSA rsa) => Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());

    private BigQuerySettings Config(string? baseUrl = null) => new()
    {
        BaseUrl = baseUrl ?? _google.BigQueryBase,
        AllowedTokenUris = [BigQuerySettings.GoogleTokenUri, _google.TokenUri],
    };

    private BigQueryProber Prober(NetworkPolicy? network = null, string? baseUrl = null) => new(network ?? Probes.Loopback, Config(baseUrl));

    private JsonObject Key(RSA? signer = null, string? tokenUri = null) => new()
    {
        ["type"] = "service_account",
        ["project_id"] = "my-project",
        ["private_key_id"] = "k1",
        ["private_key"] = (signer ?? _key).ExportPkcs8PrivateKeyPem(),
        ["client_email"] = Email,
        ["token_uri"] = tokenUri ?? _google.TokenUri,
    };

    private static JsonObject Settings(JsonNode key, params string[] selected)
    {
        var settings = new JsonObject { ["type"] = "BIGQUERY", ["service_account_key"] = key };
        if (selected.Length > 0) settings["selected_datasets"] = new JsonArray(selected.Select(s => (JsonNode)s).ToArray());
        return settings;
    }

    [Fact]
    public async Task A_valid_key_lists_the_projects_datasets()
    {
        var result = await Prober().Probe(Settings(Key()), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Empty(result.Warnings);
        var discovery = JsonNode.Parse(result.DiscoveryJson!)!;
        Assert.Equal("my-project", discovery["project"]!.GetValue<string>());
        Assert.Equal(["events", "sales"], discovery["datasets"]!.AsArray().Select(d => d!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_signed_assertion_verifies_with_the_keys_public_key()
    {
        await Prober().Probe(Settings(Key()), Probes.Context, CancellationToken.None);

        var assertion = Assert.Single(_google.Assertions);
        Assert.True(FakeGoogle.VerifiesWith(assertion, PublicKey(_key)));
        using var other = RSA.Create(2048);
        Assert.False(FakeGoogle.VerifiesWith(assertion, PublicKey(other)));
    }

    [Fact]
    public async Task The_key_as_a_json_string_works_too()
    {
        var result = await Prober().Probe(Settings(JsonValue.Create(Key().ToJsonString())), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
    }

    [Fact]
    public async Task Selected_datasets_that_do_not_exist_are_named_in_warnings()
    {
        var result = await Prober().Probe(Settings(Key(), "events", "missing_one"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Contains("missing_one", Assert.Single(result.Warnings));
    }

    [Fact]
    public async Task A_key_google_does_not_know_is_auth_failed()
    {
        using var stranger = RSA.Create(2048);

        var result = await Prober().Probe(Settings(Key(stranger)), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
    }

    [Fact]
    public async Task A_project_bigquery_does_not_have_is_not_found()
    {
        var key = Key();
        key["project_id"] = "no-such-project";

        var result = await Prober().Probe(Settings(key), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task A_bigquery_port_nobody_listens_on_is_unreachable()
    {
        var result = await Prober(baseUrl: $"http://127.0.0.1:{FreePort.Next()}/bigquery/v2/").Probe(Settings(Key()), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unreachable, result.Outcome);
    }

    [Fact]
    public async Task A_token_endpoint_that_never_answers_ends_at_the_deadline()
    {
        using var silent = new SilentListener();
        var silentToken = $"http://127.0.0.1:{silent.Port}/token";
        var settings = Probes.Settings(deadlineSeconds: 2);
        var prober = new BigQueryProber(Probes.Loopback, new BigQuerySettings { BaseUrl = _google.BigQueryBase, AllowedTokenUris = [silentToken] });

        var result = await Probes.Runner(prober, settings).Run("BIGQUERY", Settings(Key(tokenUri: silentToken)), Probes.Context, [], CancellationToken.None);

        Assert.Equal(ProbeOutcome.Timeout, result.Outcome);
    }

    [Fact]
    public async Task An_allowed_token_endpoint_on_a_denied_address_is_still_refused_by_the_network_policy()
    {
        var result = await Prober(network: Probes.Strict).Probe(Settings(Key()), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.InvalidConfig, result.Outcome);
        Assert.Equal(NetworkPolicy.DeniedMessage, result.Message);
    }

    [Fact]
    public void A_token_uri_that_is_not_googles_is_refused_at_check()
    {
        var problems = new BigQueryProber(Probes.Loopback, new BigQuerySettings()).Check(Settings(Key(tokenUri: "http://169.254.169.254/token")));

        Assert.Equal("/service_account_key/token_uri", Assert.Single(problems).Pointer);
    }

    [Theory]
    [InlineData("project_id")]
    [InlineData("client_email")]
    [InlineData("private_key")]
    public void A_missing_field_is_named_at_its_pointer_in_both_forms(string field)
    {
        var key = Key();
        key.Remove(field);

        var asObject = Prober().Check(Settings(key));
        var asString = Prober().Check(Settings(JsonValue.Create(key.ToJsonString())));

        Assert.Equal("/service_account_key/" + field, Assert.Single(asObject).Pointer);
        Assert.Equal("/service_account_key/" + field, Assert.Single(asString).Pointer);
    }

    [Theory]
    [InlineData("type", "authorized_user")]
    [InlineData("private_key", "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----")]
    public void A_wrong_field_is_named_at_its_pointer(string field, string value)
    {
        var key = Key();
        key[field] = value;

        Assert.Equal("/service_account_key/" + field, Assert.Single(Prober().Check(Settings(key))).Pointer);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    public void A_string_that_holds_no_key_object_is_refused(string text) =>
        Assert.Equal("/service_account_key", Assert.Single(Prober().Check(Settings(JsonValue.Create(text)))).Pointer);
}
