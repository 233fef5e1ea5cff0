using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;
using Sources.Contracts;
using Sources.TestServers;

namespace Sources.Api.Tests.Secrets;

/// <summary>
/// One node (hosted in-process), the listener that must hear nothing, and a loopback port nobody
/// listens on. Snowflake accounts live at <c>http://127.0.0.1:{account}</c>, so an account (a
/// locator of digits) is a loopback port like every other type's destination here; both ports are
/// allowed BigQuery token endpoints, so only the patch rule can keep a key's token_uri from moving
/// to the listener.
/// </summary>
public sealed class PatchTargets : IAsyncLifetime
{
    public string Key { get; } = $"bootstrap-{Guid.NewGuid():N}";
    public Transcript Transcript { get; } = new();
    public InProcessNode Node { get; private set; } = null!;
    public SourcesClient Client => new(Node, Key, Transcript);
    public RecordingListener Listener { get; } = new();
    public int Closed { get; } = FreePort.Next();

    public Task InitializeAsync() => (Node = new InProcessNode(ServiceConfig.Embedded(Key) with
    {
        Settings = new Dictionary<string, string>
        {
            ["Sources__Snowflake__BaseUrl"] = "http://127.0.0.1:{account}",
            ["Sources__BigQuery__AllowedTokenUris__0"] = TokenUri(Closed),
            ["Sources__BigQuery__AllowedTokenUris__1"] = TokenUri(Listener.Port),
            ["Sources__Probe__Deadline"] = "00:00:05",
        },
    }, "patch-exfiltration")).StartAsync();

    public static string TokenUri(int port) => $"http://127.0.0.1:{port}/token";

    public async Task DisposeAsync()
    {
        Listener.Dispose();
        await Node.DisposeAsync();
        Directory.Delete(Node.Config.WorkingDirectory, recursive: true);
    }
}

/// <summary>
/// A merge patch cannot move a source and keep its secret. For every type, a source holding a
/// canary is created pointed at a loopback port nobody listens on (or, to move its host, at a
/// loopback address where the listener's port is closed); each property the spec marks
/// <c>x-locates-source</c> is patched toward a listener that records every byte it receives.
/// The patch is a 400 naming the property, and after a check has run on what is stored the
/// listener has had no connection at all.
/// </summary>
[Trait("Speed", "fast")]
public sealed class PatchExfiltrationTests(PatchTargets service) : IClassFixture<PatchTargets>
{
    private readonly Canary _canary = new();

    private RecordingListener Listener => service.Listener;
    private int Closed => service.Closed;

    private SourcesClient Api => service.Client;

    public static TheoryData<string> Types => [.. SourceBodies.Types];

    [Theory]
    [MemberData(nameof(Types))]
    public async Task No_patch_of_a_locating_property_moves_the_stored_secret_to_a_listener(string type)
    {
        var cases = Cases(type);
        // The table covers what the spec marks, no more and no less: a new mark needs a case here.
        Assert.Equal(CreateSourceRequest.LocatingPropertiesFor(type).Order(), cases.Keys.Order());

        foreach (var (field, (original, patch)) in cases)
        {
            var id = await Api.CreateOk(original);
            var before = (await Api.Get(id)).View();

            var answer = await Api.Patch(id, patch);
            // What is stored is checked first, so a patch that did move the source shows what it sent.
            await CheckedNow(id);
            Assert.True(Listener.Connections == 0, $"{type}.{field}: the listener was reached: {Listener.ReceivedText}");

            var error = Assert.Single(answer.Problem(400).Errors!);
            Assert.Equal(("/" + field, "locates_source"), (error.Pointer, error.Code));
            Assert.Contains("update-config", error.Message);
            var after = (await Api.Get(id)).View();
            Assert.Equal(before.Settings.GetRawText(), after.Settings.GetRawText());
            Assert.Equal(before.SecretsSet, after.SecretsSet);
        }

        if (cases.Count > 0)
        {
            // All at once (with a harmless rename beside them): every one is named, and nothing changes.
            var (original, _) = cases.First().Value;
            var id = await Api.CreateOk(original);
            var all = new JsonObject { ["account_name"] = "Moved" };
            foreach (var (field, (_, patch)) in cases)
                all[field] = patch[field]!.DeepClone();
            var refused = (await Api.Patch(id, all)).Problem(400);
            Assert.Equal(cases.Keys.Select(f => "/" + f).Order(), refused.Errors!.Select(e => e.Pointer).Order());
            Assert.NotEqual("Moved", (await Api.Get(id)).View().AccountName);
            await CheckedNow(id);
        }

        Assert.Equal(0, Listener.Connections);
        _canary.AssertAbsent("the listener", Listener.Received);
    }

    /// <summary>
    /// The way that is allowed: update-config with the secret sent again moves the source, and its
    /// next check reaches the listener with that secret. This also shows the listener would have
    /// seen a patched probe.
    /// </summary>
    [Fact]
    public async Task Update_config_with_the_secret_sent_again_moves_the_source()
    {
        using var owners = new RecordingListener();
        var id = await Api.CreateOk(PlainHttp(ClickHouse("127.0.0.1", Closed)));

        (await Api.UpdateConfig(id, PlainHttp(ClickHouse("127.0.0.1", owners.Port)))).Expect(200);
        await CheckedNow(id);

        Assert.True(owners.Connections > 0);
        Assert.Contains(_canary.Value, owners.ReceivedText);
    }

    /// <summary>Runs a check of what is stored now and waits for its recorded result.</summary>
    private async Task CheckedNow(long id) =>
        (await Api.Send(HttpMethod.Post, $"{SourcesClient.Root}{id}/test/")).Expect(200);

    /// <summary>Per locating property: a source pointed away from the listener, and the patch that would point it there.</summary>
    private Dictionary<string, (JsonObject Original, JsonObject Patch)> Cases(string type)
    {
        var at = Listener.Port;
        // A host move keeps the listener's port, on a loopback address the listener is not bound to.
        const string elsewhere = "127.0.0.2";
        JsonObject Patch(string field, JsonNode value) => new() { [field] = value };
        return type switch
        {
            "POSTGRES" => new()
            {
                ["hostname"] = (Postgres(elsewhere, at), Patch("hostname", "127.0.0.1")),
                ["port"] = (Postgres("127.0.0.1", Closed), Patch("port", at)),
                ["username"] = (Postgres("127.0.0.1", Closed), Patch("username", "intruder")),
                ["connection_string"] = (
                    new JsonObject { ["type"] = type, ["connection_string"] = $"Host=127.0.0.1;Port={Closed};Username=analyst;Password={_canary.Value};Database=analytics" },
                    Patch("connection_string", $"Host=127.0.0.1;Port={at};Username=analyst;Database=analytics")),
                ["ssl_mode"] = (Postgres("127.0.0.1", Closed), Patch("ssl_mode", "disable")),
                ["ssl_ca"] = (Postgres("127.0.0.1", Closed), Patch("ssl_ca", AnyAuthority.Value)),
            },
            "MYSQL" or "SINGLESTORE" => new()
            {
                ["hostname"] = (MySql(type, elsewhere, at), Patch("hostname", "127.0.0.1")),
                ["port"] = (MySql(type, "127.0.0.1", Closed), Patch("port", at)),
                ["username"] = (MySql(type, "127.0.0.1", Closed), Patch("username", "intruder")),
                ["ssl_mode"] = (MySql(type, "127.0.0.1", Closed), Patch("ssl_mode", "disable")),
                ["ssl_ca"] = (MySql(type, "127.0.0.1", Closed), Patch("ssl_ca", AnyAuthority.Value)),
            },
            "MSSQL" => new()
            {
                ["hostname"] = (MsSql(elsewhere, at), Patch("hostname", "127.0.0.1")),
                ["port"] = (MsSql("127.0.0.1", Closed), Patch("port", at)),
                ["username"] = (MsSql("127.0.0.1", Closed), Patch("username", "intruder")),
                ["connection_string"] = (
                    new JsonObject { ["type"] = type, ["connection_string"] = $"Server=127.0.0.1,{Closed};Database=master;Uid=sa;Pwd={_canary.Value}" },
                    Patch("connection_string", $"Server=127.0.0.1,{at};Database=master;Uid=sa")),
                ["ssl_mode"] = (MsSql("127.0.0.1", Closed), Patch("ssl_mode", "require")),
                ["ssl_ca"] = (MsSql("127.0.0.1", Closed), Patch("ssl_ca", AnyAuthority.Value)),
            },
            "CLICKHOUSE" => new()
            {
                ["host"] = (ClickHouse(elsewhere, at), Patch("host", "127.0.0.1")),
                ["port"] = (ClickHouse("127.0.0.1", Closed), Patch("port", at)),
                ["username"] = (ClickHouse("127.0.0.1", Closed), Patch("username", "intruder")),
                ["ssl_mode"] = (ClickHouse("127.0.0.1", Closed), Patch("ssl_mode", "disable")),
                ["ssl_ca"] = (ClickHouse("127.0.0.1", Closed), Patch("ssl_ca", AnyAuthority.Value)),
            },
            "MONGODB" => new()
            {
                ["connection_string"] = (
                    new JsonObject { ["type"] = type, ["connection_string"] = $"mongodb://reader:{_canary.Value}@127.0.0.1:{Closed}/app?serverSelectionTimeoutMS=1000" },
                    Patch("connection_string", $"mongodb://reader@127.0.0.1:{at}/app")),
                ["ssl_mode"] = (
                    new JsonObject { ["type"] = type, ["connection_string"] = $"mongodb://reader:{_canary.Value}@127.0.0.1:{Closed}/app?serverSelectionTimeoutMS=1000" },
                    Patch("ssl_mode", "disable")),
                ["ssl_ca"] = (
                    new JsonObject { ["type"] = type, ["connection_string"] = $"mongodb://reader:{_canary.Value}@127.0.0.1:{Closed}/app?serverSelectionTimeoutMS=1000" },
                    Patch("ssl_ca", AnyAuthority.Value)),
            },
            "SNOWFLAKE" => new()
            {
                ["account"] = (Snowflake(Closed), Patch("account", at.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                ["user"] = (Snowflake(Closed), Patch("user", "INTRUDER")),
                ["public_key"] = (Snowflake(Closed), Patch("public_key", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")),
            },
            "BIGQUERY" => new()
            {
                ["service_account_key"] = (BigQuery(Closed), Patch("service_account_key", BigQuery(at)["service_account_key"]!.DeepClone())),
            },
            "MCP" => new()
            {
                ["base_url"] = (Mcp(Closed), Patch("base_url", $"http://127.0.0.1:{at}/mcp")),
            },
            "FILE" => new()
            {
                ["file_urls"] = (File(Closed), Patch("file_urls", File(at)["file_urls"]!.DeepClone())),
            },
            "MOTHERDUCK" => new(),
            _ => throw new ArgumentException($"no cases for {type}; add them", nameof(type)),
        };
    }

    /// <summary>The recording listener speaks no TLS: what it records is what a plain connection carries.</summary>
    private static JsonObject PlainHttp(JsonObject clickHouse)
    {
        clickHouse["ssl_mode"] = "disable";
        return clickHouse;
    }

    /// <summary>A CA certificate in PEM: a patch of ssl_ca that would make the probe trust another server.</summary>
    private static readonly Lazy<string> AnyAuthority = new(() =>
    {
        using var tls = ServerTls.Create("patched CA");
        return tls.AuthorityPem;
    });

    private JsonObject Postgres(string host, int port) => new()
    {
        ["type"] = "POSTGRES", ["hostname"] = host, ["port"] = port, ["username"] = "analyst", ["password"] = _canary.Value, ["database_name"] = "analytics",
    };

    private JsonObject MySql(string type, string host, int port) => new()
    {
        ["type"] = type, ["hostname"] = host, ["port"] = port, ["username"] = "app", ["password"] = _canary.Value, ["database_name"] = "shop",
    };

    private JsonObject MsSql(string host, int port) => new()
    {
        ["type"] = "MSSQL", ["hostname"] = host, ["port"] = port, ["username"] = "sa", ["password"] = _canary.Value, ["database_name"] = "master",
    };

    private JsonObject ClickHouse(string host, int port) => new()
    {
        ["type"] = "CLICKHOUSE", ["host"] = host, ["port"] = port, ["username"] = "default", ["password"] = _canary.Value,
    };

    private JsonObject Snowflake(int port) => new()
    {
        ["type"] = "SNOWFLAKE", ["account"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["user"] = "LOADER", ["password"] = _canary.Value,
    };

    private JsonObject BigQuery(int tokenPort)
    {
        var key = SourceBodies.SecretValue("BIGQUERY", "service_account_key", _canary.Value).AsObject();
        key["token_uri"] = PatchTargets.TokenUri(tokenPort);
        return new JsonObject { ["type"] = "BIGQUERY", ["service_account_key"] = key };
    }

    private JsonObject Mcp(int port) => new()
    {
        ["type"] = "MCP", ["base_url"] = $"http://127.0.0.1:{port}/mcp", ["access_token"] = _canary.Value,
    };

    private JsonObject File(int port) => new()
    {
        ["type"] = "FILE",
        ["file_urls"] = new JsonArray(new JsonObject { ["url"] = $"http://127.0.0.1:{port}/orders.csv?token={_canary.Value}", ["filename"] = "orders.csv" }),
    };
}
