using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.Common;
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
        var result = await Probe("crm_columns", """
            CREATE SCHEMA crm;
            CREATE TABLE crm.people (id bigint, code char(3), name varchar(40), born date NOT NULL, PRIMARY KEY (id, code));
            CREATE VIEW crm.named AS SELECT name FROM crm.people;
            GRANT USAGE ON SCHEMA crm TO crm_columns_reader;
            """, "crm");

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
        var result = await Probe("odd_schema_names", """
            CREATE SCHEMA "sa""les,eu\";
            CREATE TABLE "sa""les,eu\".orders (id int);
            CREATE SCHEMA "{ünï}";
            CREATE TABLE "{ünï}".items (sku text);
            CREATE SCHEMA sa;
            CREATE TABLE sa.hidden (id int);
            GRANT USAGE ON SCHEMA "sa""les,eu\", "{ünï}", sa TO odd_schema_names_reader;
            """, "sa\"les,eu\\", "{ünï}");

        var discovery = DiscoveryAnswers.Read<RelationalDiscovery>(result);
        Assert.Equal([("sa\"les,eu\\", "orders"), ("{ünï}", "items")], discovery.Tables.Select(t => (t.Schema!, t.Name)).OrderBy(t => t.Item1, StringComparer.Ordinal));
        Assert.Equal([("id", "integer", true, false)], DiscoveryAnswers.Columns(discovery, "orders"));
        Assert.Equal([("sku", "text", true, false)], DiscoveryAnswers.Columns(discovery, "items"));
    }

    /// <summary>A database of its own made by <paramref name="sql"/>, probed as its reader (a login of its own) with these schemas selected.</summary>
    private async Task<ProbeResult> Probe(string database, string sql, params string[] selected)
    {
        await server.CreateDatabaseAsync(database);
        await server.CreateLoginAsync($"{database}_reader", "columns-pw");
        await server.ExecuteAsync(database, sql);
        var settings = new JsonObject
        {
            ["type"] = "POSTGRES", ["hostname"] = "127.0.0.1", ["port"] = server.Port, ["username"] = $"{database}_reader",
            ["password"] = "columns-pw", ["database_name"] = database, ["selected_schemas"] = DiscoveryJson.Strings(selected),
            // The suite's PostgreSQL speaks no TLS; the TLS tests start one that does.
            ["ssl_mode"] = "disable",
        };
        return await new PostgresProber(Probes.Loopback).Probe(settings, Probes.Context, CancellationToken.None);
    }
}
