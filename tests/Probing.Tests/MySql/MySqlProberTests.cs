using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.MySql;
using Sources.TestServers;
using RelationalDiscovery = Sources.Contracts.RelationalDiscovery;

namespace Sources.Probing.Tests.MySql;

/// <summary>MYSQL and SINGLESTORE against a real MariaDB the test run starts.</summary>
public sealed class MySqlProberTests(MariaDbServer server) : IClassFixture<MariaDbServer>
{
    private static readonly MySqlProber MySql = new(Probes.Loopback);
    private static readonly SingleStoreProber SingleStore = new(Probes.Loopback);

    [Fact]
    public async Task Healthy_server_reports_its_version_databases_and_tables()
    {
        var result = await MySql.Probe(MySqlSettings.For(server.Port), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Contains("MariaDB", result.ServerVersion);
        var databases = ProbeResults.Strings(result, "databases");
        Assert.Contains(MariaDbServer.Database, databases);
        Assert.DoesNotContain("mysql", databases);
        Assert.Equal([("big_orders", "view"), ("orders", "table")], ProbeResults.Tables(result).Where(t => t.Name != "people"));
    }

    [Fact]
    public async Task SingleStore_type_falls_back_to_VERSION_where_memsql_version_is_absent()
    {
        var result = await SingleStore.Probe(MySqlSettings.For(server.Port, type: "SINGLESTORE"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Ok, result.Outcome);
        Assert.Contains("MariaDB", result.ServerVersion);
    }

    [Theory]
    [InlineData("require")]
    [InlineData("verify-full")]
    public async Task A_mode_that_needs_TLS_against_a_server_without_it_is_a_tls_error_saying_so(string mode)
    {
        var settings = MySqlSettings.For(server.Port);
        settings["ssl_mode"] = mode;

        var result = await MySql.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.TlsError, result.Outcome);
        Assert.Contains("does not offer TLS", result.Message);
    }

    [Fact]
    public async Task Wrong_password_is_auth_failed()
    {
        var result = await MySql.Probe(MySqlSettings.For(server.Port, password: "not-the-password"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.AuthFailed, result.Outcome);
        Assert.DoesNotContain("not-the-password", result.Message);
    }

    [Fact]
    public async Task Unknown_database_is_not_found()
    {
        var result = await MySql.Probe(MySqlSettings.For(server.Port, database: "no_such_db"), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.NotFound, result.Outcome);
        Assert.Contains("no_such_db", result.Message);
    }

    [Fact]
    public async Task User_without_rights_on_the_database_is_permission_denied()
    {
        var settings = MySqlSettings.For(server.Port, user: MariaDbServer.UserWithoutRights, password: MariaDbServer.UserWithoutRightsPassword);

        var result = await MySql.Probe(settings, Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.PermissionDenied, result.Outcome);
    }

    [Fact]
    public async Task Metadata_address_is_refused_before_any_connection() =>
        ProbeResults.AssertDenied(await MySql.Probe(MySqlSettings.For(3306, host: "169.254.169.254"), Probes.Context, CancellationToken.None));

    [Theory]
    [InlineData("MYSQL")]
    [InlineData("SINGLESTORE")]
    public async Task A_table_lists_its_columns_with_column_types_nullability_and_primary_key(string type)
    {
        await server.ExecuteAsync($"""
            CREATE TABLE IF NOT EXISTS {MariaDbServer.Database}.people (id BIGINT NOT NULL, code CHAR(3) NOT NULL, name VARCHAR(40) NULL, PRIMARY KEY (id, code));
            """);
        var prober = type == "MYSQL" ? (Sources.Silo.Probing.IProber)new MySqlProber(Probes.Loopback) : new SingleStoreProber(Probes.Loopback);

        var result = await prober.Probe(MySqlSettings.For(server.Port, type: type), Probes.Context, CancellationToken.None);

        var discovery = DiscoveryAnswers.Read<RelationalDiscovery>(result);
        var columns = DiscoveryAnswers.Columns(discovery, "people");
        Assert.Equal(["id", "code", "name"], columns.Select(c => c.Name));
        Assert.StartsWith("bigint", columns[0].Type);
        Assert.Equal([("char(3)", false, true), ("varchar(40)", true, false)], columns.Skip(1).Select(c => (c.Type, c.Nullable, c.PrimaryKey)));
        Assert.Equal((false, true), (columns[0].Nullable, columns[0].PrimaryKey));
        Assert.Equal([("total", "decimal(10,2)", true, false)], DiscoveryAnswers.Columns(discovery, "orders").Where(c => c.Name == "total"));
        Assert.All(discovery.Tables, t => Assert.Equal(MariaDbServer.Database, t.Database));
    }
}
