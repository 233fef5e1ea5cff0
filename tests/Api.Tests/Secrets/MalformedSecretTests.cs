using System.Text.Json.Nodes;
using Sources.Api.Tests.Infrastructure;
using Sources.Contracts;

namespace Sources.Api.Tests.Secrets;

/// <summary>
/// A malformed secret is refused without quoting it. A canary is planted inside broken connection
/// strings of every kind (a password whose unquoted ';' turns its tail into a keyword, bad values,
/// broken quoting, a password holding '?', hosts and mechanisms made of it) and in broken values
/// of every other writeOnly field; each is sent as a create and as an update-config of a valid
/// source, and no answer holds the canary in any form.
/// </summary>
[Collection(InProcessCollection.Name)]
[Trait("Speed", "fast")]
public sealed class MalformedSecretTests(InProcessService service)
{
    private readonly Canary _canary = new();

    private SourcesClient Api => service.Client;

    [Fact]
    public async Task No_refusal_of_a_malformed_connection_string_quotes_any_of_it()
    {
        var c = _canary.Value;
        var strings = new (string Type, string ConnectionString)[]
        {
            ("POSTGRES", $"Host=h.example.com;Username=u;Password=ab;{c}=efgh"),
            ("POSTGRES", $"Host=h.example.com;Username=u;Password=ab;cd=ef{c}"),
            ("POSTGRES", $"Host=h.example.com;Username=u;Password={c};Port=x{c}"),
            ("POSTGRES", $"Host=h.example.com;Username=u;Password='{c}"),
            ("POSTGRES", $"Host=h.example.com;Username=u;Password={c};SslMode={c}"),
            ("POSTGRES", $"Host=h.example.com,{c};Username=u;Password={c}"),
            ("POSTGRES", $"Username=u;Password={c}"),
            ("POSTGRES", $"postgresql://u:{c}@h.example.com/d?{c}=1"),
            ("POSTGRES", $"postgresql://u:{c}@h.example.com/d?sslmode={c}"),
            ("POSTGRES", $"postgresql://u:{c}@[h.example.com/d"),
            ("POSTGRES", $"postgres://u:p;{c}@h.example.com:x/d"),
            ("MSSQL", $"Server=sql.example.com;Uid=sa;Pwd=ab;{c}=x"),
            ("MSSQL", $"Server=sql.example.com;Uid=sa;Pwd={c};Encrypt={c}"),
            ("MSSQL", $"Server=sql.example.com,{c};Uid=sa;Pwd={c}"),
            ("MSSQL", $"Server={c}:sql.example.com;Uid=sa;Pwd={c}"),
            ("MSSQL", $"Server=np:{c};Uid=sa"),
            ("MSSQL", $"Server=sql.example.com;Uid=sa;Pwd={{{c}"),
            ("MSSQL", $"Server=sql.example.com;Uid=sa;Pwd={c};Port={c}"),
            ("MSSQL", $"Uid=sa;Pwd={c}"),
            ("MONGODB", $"mongodb://u:p?{c}=a@db.example.com/?{c}=2"),
            ("MONGODB", $"mongodb://u:{c}@db.example.com/?{c}=1"),
            ("MONGODB", $"mongodb://u:{c}@db.example.com:x{c}/app"),
            ("MONGODB", $"mongodb://u:{c}@db.example.com/?authMechanism={c}"),
            ("MONGODB", $"mongodb://u:p@{c}@db.example.com/"),
            ("MONGODB", $"mongodb://u:{c}@db.example.com,*{c}/"),
            ("MONGODB", $"mongodb://u:{c}@db.example.com/?appName=a&{c}"),
        };
        foreach (var (type, connectionString) in strings)
        {
            var body = new JsonObject { ["type"] = type, ["connection_string"] = connectionString };
            if (type == "MSSQL") body["database_name"] = "master";
            await RefusedWithoutTheCanary(body, mustRefuse: true);
        }
    }

    [Fact]
    public async Task No_answer_to_a_broken_value_of_any_writeOnly_field_quotes_it()
    {
        var c = _canary.Value;
        string[] broken = [$"{c}", $" {c};{c}=x", $"'{c}", $"{{{c}", $"{c}?{c}=1", $"-----BEGIN PRIVATE KEY-----\n{c}\n-----END PRIVATE KEY-----", $"{{\"type\":\"service_account\",\"private_key\":\"{c}\""];
        var fields = SourceBodies.Types.SelectMany(type => CreateSourceRequest.WriteOnlyPropertiesFor(type).Select(field => (type, field))).ToList();
        Assert.NotEmpty(fields);
        foreach (var (type, field) in fields)
        {
            foreach (var value in broken)
            {
                var body = SourceBodies.WithEverySecret(type, "s3cret").First(b => b.ContainsKey(field));
                body[field] = value;
                await RefusedWithoutTheCanary(body, mustRefuse: false);
            }
        }
        // An encrypted key with a passphrase that does not open it.
        var wrongPassphrase = SourceBodies.WithEverySecret("SNOWFLAKE", "s3cret").First(b => b.ContainsKey("private_key_passphrase"));
        wrongPassphrase["private_key_passphrase"] = c;
        await RefusedWithoutTheCanary(wrongPassphrase, mustRefuse: true);
    }

    /// <summary>As a create and as an update-config of a valid source of the type; neither answer holds the canary.</summary>
    private async Task RefusedWithoutTheCanary(JsonObject body, bool mustRefuse)
    {
        var created = await Api.Create(body);
        Assert.True(created.Status is 400 || (!mustRefuse && created.Status is 201), $"unexpected answer to {body.ToJsonString()}: {created}");
        _canary.AssertAbsent($"the answer to a create of {body.ToJsonString()}", created.Text);

        var type = body["type"]!.GetValue<string>();
        var id = await Api.CreateOk(SourceBodies.Valid(type));
        var updated = await Api.UpdateConfig(id, body);
        Assert.True(updated.Status is 400 || (!mustRefuse && updated.Status is 200), $"unexpected answer to {body.ToJsonString()}: {updated}");
        _canary.AssertAbsent($"the answer to an update-config with {body.ToJsonString()}", updated.Text);
        _canary.AssertAbsent("a read after the update-config", (await Api.Get(id)).Text);
    }
}
