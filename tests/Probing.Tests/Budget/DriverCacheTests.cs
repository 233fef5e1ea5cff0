using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing.MySql;
using Sources.Silo.Probing.Postgres;
using Sources.TestServers;

namespace Sources.Probing.Tests.Budget;

/// <summary>
/// Probing many distinct sources leaves nothing behind in the drivers' process-wide caches:
/// Npgsql keeps a data source per distinct connection string it is handed, MySqlConnector an
/// entry per distinct connection string (pooled or not), both for the life of the process. The
/// caches are internal, so they are read by reflection: a count, nothing else.
/// </summary>
[Collection(ProcessWide.Name)]
public sealed class DriverCacheTests
{
    private const int Sources = 50;

    [Fact]
    public async Task Postgres_probes_of_distinct_sources_add_nothing_to_Npgsql_s_data_source_cache()
    {
        var prober = new PostgresProber(Probes.Loopback);
        var before = Count(typeof(Npgsql.NpgsqlConnection).Assembly, "Npgsql.PoolManager", "Pools");

        for (var i = 0; i < Sources; i++)
            await prober.Probe(Fields("POSTGRES", FreePort.Next(), $"password-{i}"), Probes.Context, CancellationToken.None);

        Assert.Equal(before, Count(typeof(Npgsql.NpgsqlConnection).Assembly, "Npgsql.PoolManager", "Pools"));
    }

    [Fact]
    public async Task MySql_probes_of_distinct_sources_add_nothing_to_MySqlConnector_s_pool_cache()
    {
        var prober = new MySqlProber(Probes.Loopback);
        var before = Count(typeof(MySqlConnector.MySqlConnection).Assembly, "MySqlConnector.Core.ConnectionPool", "s_pools");

        for (var i = 0; i < Sources; i++)
            await prober.Probe(Fields("MYSQL", FreePort.Next(), $"password-{i}"), Probes.Context, CancellationToken.None);

        Assert.Equal(before, Count(typeof(MySqlConnector.MySqlConnection).Assembly, "MySqlConnector.Core.ConnectionPool", "s_pools"));
    }

    private static int Count(Assembly assembly, string typeName, string member)
    {
        var type = assembly.GetType(typeName, throwOnError: true)!;
        const BindingFlags statics = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;
        var cache = type.GetProperty(member, statics)?.GetValue(null) ?? type.GetField(member, statics)!.GetValue(null);
        return ((ICollection)cache!).Count;
    }

    private static JsonObject Fields(string type, int port, string password) => new()
    {
        ["type"] = type, ["hostname"] = "127.0.0.1", ["port"] = port, ["username"] = "reader", ["password"] = password, ["database_name"] = "app",
    };
}
