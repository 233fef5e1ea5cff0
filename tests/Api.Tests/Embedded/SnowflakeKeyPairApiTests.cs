using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sources.Api.Tests.Infrastructure;
using Sources.Contracts;

namespace Sources.Api.Tests.Embedded;

/// <summary>
/// Snowflake key pairs over HTTP: a create without credentials gets a sealed pair and its
/// public_key_sql, a pair made ahead through /snowflake/key-pairs/ is used by the create that
/// names it, and a public key Sources did not make is refused. Its own service node (hosted
/// in-process) points Snowflake at a loopback stand-in that refuses every JWT, as Snowflake does
/// before the key is registered.
/// </summary>
[Trait("Speed", "fast")]
public sealed partial class SnowflakeKeyPairApiTests(SnowflakeKeyPairApiTests.Node node) : IClassFixture<SnowflakeKeyPairApiTests.Node>
{
    private SourcesClient Api => node.Client;

    [GeneratedRegex("^ALTER USER LOADER SET RSA_PUBLIC_KEY='([A-Za-z0-9+/=]+)';$")]
    private static partial Regex AlterUser();

    private static JsonObject Body(string? publicKey = null)
    {
        var body = new JsonObject { ["type"] = "SNOWFLAKE", ["account"] = "xy12345.us-east-1", ["user"] = "LOADER", ["warehouse"] = "COMPUTE_WH" };
        if (publicKey is not null) body["public_key"] = publicKey;
        return body;
    }

    private static CreateSourceResponse Created(ApiResponse response) => response.As(b => CreateSourceResponse.Parse(b), 201);

    private static string PublicKeyIn(string sql)
    {
        var match = AlterUser().Match(sql);
        Assert.True(match.Success, sql);
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task A_create_without_credentials_gets_a_generated_pair_and_its_statement()
    {
        var created = Created(await Api.Create(Body()));

        var publicKey = PublicKeyIn(created.PublicKeySql!);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(publicKey), out _);
        Assert.Equal(2048, rsa.KeySize);
        var read = await Api.Get(created.Id);
        var view = read.View();
        Assert.Equal(publicKey, view.Settings.GetProperty("public_key").GetString());
        Assert.Contains("private_key", view.SecretsSet);
        Assert.DoesNotContain("PRIVATE KEY", read.Text);
    }

    [Fact]
    public async Task Until_snowflake_accepts_the_key_the_source_awaits_its_registration()
    {
        var id = Created(await Api.Create(Body())).Id;
        Assert.Equal("awaiting_key_registration", (await Api.Get(id)).View().Status);

        // The test endpoint joins the probe the create started (or runs one) and answers its result.
        var probe = (await Api.Send(HttpMethod.Post, $"{SourcesClient.Root}{id}/test/")).As(b => ProbeResult.Parse(b));
        var view = (await Api.Get(id)).View();

        Assert.Equal("awaiting_key_registration", probe.Outcome);
        Assert.Equal("awaiting_key_registration", view.Status);
        Assert.Equal("awaiting_key_registration", view.LastProbe!.Outcome);
        Assert.True(node.Snowflake.Requests > 0);
    }

    [Fact]
    public async Task A_pair_made_ahead_answers_its_public_key_and_statement()
    {
        var bare = await Api.Send(HttpMethod.Post, SourcesClient.Root + "snowflake/key-pairs/");
        var named = await Api.Send(HttpMethod.Post, SourcesClient.Root + "snowflake/key-pairs/", SourcesClient.Json(new JsonObject { ["user"] = "first.last" }));

        var withoutUser = bare.As(b => SnowflakeKeyPairResponse.Parse(b), 201);
        Assert.Null(withoutUser.PublicKeySql);
        var withUser = named.As(b => SnowflakeKeyPairResponse.Parse(b), 201);
        Assert.Equal($"ALTER USER \"first.last\" SET RSA_PUBLIC_KEY='{withUser.PublicKey}';", withUser.PublicKeySql);
        Assert.NotEqual(withoutUser.PublicKey, withUser.PublicKey);
    }

    [Fact]
    public async Task A_create_naming_a_pair_made_ahead_uses_it()
    {
        var pair = (await Api.Send(HttpMethod.Post, SourcesClient.Root + "snowflake/key-pairs/")).As(b => SnowflakeKeyPairResponse.Parse(b), 201);

        var created = Created(await Api.Create(Body(pair.PublicKey)));

        Assert.Equal(pair.PublicKey, PublicKeyIn(created.PublicKeySql!));
        var view = (await Api.Get(created.Id)).View();
        Assert.Equal(pair.PublicKey, view.Settings.GetProperty("public_key").GetString());
        Assert.Contains("private_key", view.SecretsSet);
    }

    [Fact]
    public async Task A_public_key_sources_did_not_make_is_refused_at_the_field()
    {
        using var stranger = RSA.Create(2048);

        var problem = (await Api.Create(Body(Convert.ToBase64String(stranger.ExportSubjectPublicKeyInfo())))).Problem(400);

        var error = Assert.Single(problem.Errors!);
        Assert.Equal("/public_key", error.Pointer);
        Assert.Contains("Sources must hold the private key", error.Message);
    }

    [Fact]
    public async Task A_patch_keeps_the_pair()
    {
        var created = Created(await Api.Create(Body()));

        var patched = (await Api.Patch(created.Id, new JsonObject { ["warehouse"] = "OTHER_WH" })).View();

        Assert.Equal("OTHER_WH", patched.Settings.GetProperty("warehouse").GetString());
        Assert.Equal(PublicKeyIn(created.PublicKeySql!), patched.Settings.GetProperty("public_key").GetString());
        Assert.Contains("private_key", patched.SecretsSet);
    }

    [Fact]
    public async Task A_rotation_to_a_new_generated_pair_answers_its_statement()
    {
        var created = Created(await Api.Create(Body()));

        var rotated = (await Api.UpdateConfig(created.Id, Body())).View();

        var newKey = PublicKeyIn(rotated.PublicKeySql!);
        Assert.NotEqual(PublicKeyIn(created.PublicKeySql!), newKey);
        Assert.Equal(newKey, rotated.Settings.GetProperty("public_key").GetString());
        Assert.Null((await Api.Get(created.Id)).View().PublicKeySql);
    }

    /// <summary>A service node whose Snowflake is a loopback listener that refuses every JWT (Snowflake's 401, code 390144).</summary>
    public sealed class Node : IAsyncLifetime
    {
        public string Key { get; } = $"bootstrap-{Guid.NewGuid():N}";
        public RefusingSnowflake Snowflake { get; } = new();
        public InProcessNode Service { get; private set; } = null!;
        public SourcesClient Client => new(Service, Key, new Transcript());

        public Task InitializeAsync() => (Service = new InProcessNode(ServiceConfig.Embedded(Key) with
        {
            Settings = new Dictionary<string, string> { ["Sources__Snowflake__BaseUrl"] = Snowflake.BaseUrl },
        }, "snowflake-keys")).StartAsync();

        public async Task DisposeAsync()
        {
            await Service.DisposeAsync();
            Snowflake.Dispose();
            Directory.Delete(Service.Config.WorkingDirectory, recursive: true);
        }
    }

    /// <summary>Answers every request as Snowflake answers a JWT signed by a key the user does not have yet.</summary>
    public sealed class RefusingSnowflake : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _requests;

        public RefusingSnowflake()
        {
            var port = Sources.TestServers.FreePort.Next();
            BaseUrl = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(BaseUrl + "/");
            _listener.Start();
            _ = Serve();
        }

        public string BaseUrl { get; }
        public int Requests => Volatile.Read(ref _requests);

        private async Task Serve()
        {
            var body = Encoding.UTF8.GetBytes("""{"code":"390144","message":"JWT token is invalid."}""");
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { return; }
                Interlocked.Increment(ref _requests);
                context.Response.StatusCode = 401;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
