using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing.Postgres;
using Sources.TestServers;
using RelationalDiscovery = Sources.Contracts.RelationalDiscovery;

namespace Sources.Probing.Tests.Discovery;

/// <summary>
/// POSTGRES columns with their types, nullability and primary key, for a table the test creates in
/// a real PostgreSQL; the answer validated against the spec first. MYSQL, SINGLESTORE and
/// CLICKHOUSE have theirs beside their other tests, on the servers those start.
/// </summary>
public sealed class PostgresColumnsTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_postgres_table_lists_its_columns_in_order_with_types_as_postgres_writes_them()
    {
        const string database = "crm_columns";
        await server.CreateDatabaseAsync(database);
        await server.CreateLoginAsync("columns_reader", "columns-pw");
        await server.ExecuteAsync(database, """
            CREATE SCHEMA crm;
            CREATE TABLE crm.people (id bigint, code char(3), name varchar(40), born date NOT NULL, PRIMARY KEY (id, code));
            CREATE VIEW crm.named AS SELECT name FROM crm.people;
            GRANT USAGE ON SCHEMA crm TO columns_reader;
            """);
        var settings = new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = server.Port, ["username"] = "columns_reader",
            ["password"] = "columns-pw", ["database_name"] = database, ["selected_schemas"] = new JsonArray("crm"),
            // The suite's PostgreSQL speaks no TLS; the TLS tests start one that does.
            ["ssl_mode"] = "disable",
        };

        var result = await new PostgresProber(Probes.Loopback).Probe(settings, Probes.Context, CancellationToken.None);

        var discovery = DiscoveryAnswers.Read<RelationalDiscovery>(result);
        Assert.Equal([("crm", "named", "view"), ("crm", "people", "table")], discovery.Tables.Select(t => (t.Schema!, t.Name, t.Kind)));
        Assert.Equal(
            [("id", "bigint", false, true), ("code", "character(3)", false, true), ("name", "character varying(40)", true, false), ("born", "date", false, false)],
            DiscoveryAnswers.Columns(discovery, "people"));
        Assert.Equal([("name", "character varying(40)", true, false)], DiscoveryAnswers.Columns(discovery, "named"));
        Assert.Null(discovery.Truncated);
    }

    [Fact]
    public async Task Selected_schemas_named_with_quotes_commas_and_backslashes_list_their_tables_and_no_others()
    {
        const string database = "odd_schema_names";
        await server.CreateDatabaseAsync(database);
        await server.CreateLoginAsync("odd_reader", "odd-pw");
        await server.ExecuteAsync(database, """
            CREATE SCHEMA "sa""les,eu\";
            CREATE TABLE "sa""les,eu\".orders (id int);
            CREATE SCHEMA "{ünï}";
            CREATE TABLE "{ünï}".items (sku text);
            CREATE SCHEMA sa;
            CREATE TABLE sa.hidden (id int);
            GRANT USAGE ON SCHEMA "sa""les,eu\", "{ünï}", sa TO odd_reader;
            """);
        var settings = new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = server.Port, ["username"] = "odd_reader",
            ["password"] = "odd-pw", ["database_name"] = database, ["selected_schemas"] = new JsonArray("sa\"les,eu\\", "{ünï}"),
            ["ssl_mode"] = "disable",
        };

        var result = await new PostgresProber(Probes.Loopback).Probe(settings, Probes.Context, CancellationToken.None);

        var discovery = DiscoveryAnswers.Read<RelationalDiscovery>(result);
        Assert.Equal([("sa\"les,eu\\", "orders"), ("{ünï}", "items")], discovery.Tables.Select(t => (t.Schema!, t.Name)).OrderBy(t => t.Item1, StringComparer.Ordinal));
        Assert.Equal([("id", "integer", true, false)], DiscoveryAnswers.Columns(discovery, "orders"));
        Assert.Equal([("sku", "text", true, false)], DiscoveryAnswers.Columns(discovery, "items"));
    }
}
