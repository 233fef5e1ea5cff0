using DuckDB.NET.Data;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing.MotherDuck;
using RelationalDiscovery = Sources.Contracts.RelationalDiscovery;

namespace Sources.Probing.Tests.MotherDuck;

/// <summary>
/// MOTHERDUCK's catalog queries are DuckDB SQL, so a local in-memory DuckDB (catalog "memory")
/// answers them as an attached MotherDuck database would: no MotherDuck service runs here.
/// </summary>
public sealed class MotherDuckDiscoveryTests
{
    [Fact]
    public void Tables_and_views_list_their_columns_with_types_nullability_and_primary_key()
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = """
                CREATE SCHEMA crm;
                CREATE TABLE crm.people (id BIGINT, code VARCHAR, name VARCHAR, PRIMARY KEY (id, code));
                CREATE VIEW crm.named AS SELECT name FROM crm.people;
                """;
            create.ExecuteNonQuery();
        }

        var discovery = DiscoveryAnswers.Read<RelationalDiscovery>(MotherDuckProber.Discover(connection, "memory"));

        Assert.Equal("memory", discovery.Database);
        Assert.Equal([("crm", "named", "view"), ("crm", "people", "table")], discovery.Tables.Select(t => (t.Schema!, t.Name, t.Kind)));
        Assert.Equal([("id", "BIGINT", false, true), ("code", "VARCHAR", false, true), ("name", "VARCHAR", true, false)], DiscoveryAnswers.Columns(discovery, "people"));
    }
}
