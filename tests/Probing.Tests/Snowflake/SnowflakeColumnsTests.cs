using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing.Snowflake;

namespace Sources.Probing.Tests.Snowflake;

/// <summary>SNOWFLAKE's tables and columns, from the SHOW statements a loopback Snowflake answers as Snowflake does.</summary>
public sealed class SnowflakeColumnsTests : IAsyncLifetime
{
    private static readonly SnowflakeKeyPairs Pairs = new();
    private FakeSnowflake _snowflake = null!;

    public async Task InitializeAsync() => _snowflake = await FakeSnowflake.Start(new FakeSnowflake
    {
        Objects = [("ANALYTICS", "PUBLIC", "ORDERS", "TABLE"), ("ANALYTICS", "PUBLIC", "RECENT", "VIEW"), ("ANALYTICS", "INFORMATION_SCHEMA", "TABLES", "VIEW")],
    });

    public async Task DisposeAsync() => await _snowflake.DisposeAsync();

    [Fact]
    public async Task Tables_come_with_their_columns_types_nullability_and_primary_key_from_three_statements_for_the_whole_account()
    {
        var pair = Pairs.Generate();
        _snowflake.RegisterKey("LOADER", pair.PublicKey);
        var settings = new JsonObject
        {
            ["type"] = "SNOWFLAKE", ["account"] = "xy12345", ["user"] = "LOADER", ["public_key"] = pair.PublicKey, ["private_key"] = pair.PrivateKeyPem,
        };

        var result = await new SnowflakeProber(Probes.Loopback, new SnowflakeSettings { BaseUrl = _snowflake.BaseUrl }, TimeProvider.System)
            .Probe(settings, Probes.Context, CancellationToken.None);

        var discovery = DiscoveryAnswers.Read<Sources.Contracts.RelationalDiscovery>(result);
        Assert.Equal([("ORDERS", "table"), ("RECENT", "view")], discovery.Tables.Select(t => (t.Name, t.Kind)));
        Assert.All(discovery.Tables, t => Assert.Equal(("ANALYTICS", "PUBLIC"), (t.Database, t.Schema)));
        Assert.Equal([("ID", "NUMBER(38,0)", false, true), ("NOTE", "VARCHAR(16777216)", true, false)], DiscoveryAnswers.Columns(discovery, "ORDERS"));
        Assert.Equal(1, _snowflake.Statements.Count(s => s.StartsWith("SHOW COLUMNS", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""{"type":"FIXED","precision":10,"scale":2,"nullable":true}""", "NUMBER(10,2)", true)]
    [InlineData("""{"type":"TIMESTAMP_NTZ","precision":0,"scale":9,"nullable":false}""", "TIMESTAMP_NTZ(9)", false)]
    [InlineData("""{"type":"REAL","nullable":true}""", "FLOAT", true)]
    [InlineData("""{"type":"VARIANT","nullable":true}""", "VARIANT", true)]
    public void A_type_is_written_as_Snowflake_declares_it(string json, string type, bool nullable) =>
        Assert.Equal((type, nullable), SnowflakeCatalog.DataType(json));
}
