using Npgsql;
using Sources.Silo.Storage;
using Sources.TestServers;

namespace Sources.Silo.Tests.Storage;

/// <summary>
/// The membership statements' optimistic concurrency, called the way the clustering provider calls
/// them (by key from OrleansQuery, with its parameter names), without a silo in the way.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMembershipStatementTests(PostgresServer server)
{
    [Fact]
    public async Task Changes_against_a_stale_table_version_are_refused()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await new SchemaMigrator(new StorageOptions { Mode = StorageMode.Postgres, ConnectionString = connectionString }).MigrateAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        Assert.True(await RunAsync(connection, "InsertMembershipVersionKey"));
        Assert.False(await RunAsync(connection, "InsertMembershipVersionKey"));

        Assert.True(await RunAsync(connection, "InsertMembershipKey", Member(port: 1, version: 0)));
        Assert.False(await RunAsync(connection, "InsertMembershipKey", Member(port: 2, version: 0)));
        Assert.False(await RunAsync(connection, "InsertMembershipKey", Member(port: 1, version: 1)));
        Assert.True(await RunAsync(connection, "InsertMembershipKey", Member(port: 2, version: 1)));

        Assert.False(await RunAsync(connection, "UpdateMembershipKey", Member(port: 1, version: 1)));
        Assert.False(await RunAsync(connection, "UpdateMembershipKey", Member(port: 3, version: 2)));
        Assert.True(await RunAsync(connection, "UpdateMembershipKey", Member(port: 1, version: 2)));

        await using var version = new NpgsqlCommand("SELECT version FROM sources_cluster_version", connection);
        Assert.Equal(3, (int)(await version.ExecuteScalarAsync())!);
    }

    private static Dictionary<string, object?> Member(int port, int version) => new()
    {
        ["Address"] = "127.0.0.1",
        ["Port"] = port,
        ["Generation"] = 1,
        ["SiloName"] = $"silo-{port}",
        ["HostName"] = "localhost",
        ["Status"] = 3,
        ["ProxyPort"] = 0,
        ["StartTime"] = DateTime.UtcNow,
        ["IAmAliveTime"] = DateTime.UtcNow,
        ["SuspectTimes"] = null,
        ["Version"] = version,
    };

    private static async Task<bool> RunAsync(NpgsqlConnection connection, string key, Dictionary<string, object?>? parameters = null)
    {
        await using var lookup = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = @key", connection);
        lookup.Parameters.AddWithValue("key", key);
        var sql = (string)(await lookup.ExecuteScalarAsync())!;

        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("DeploymentId", "cluster");
        foreach (var (name, value) in parameters ?? [])
        {
            // Typed like the provider binds them; a null still needs a type for PostgreSQL.
            command.Parameters.Add(value is null
                ? new NpgsqlParameter(name, System.Data.DbType.String) { Value = DBNull.Value }
                : new NpgsqlParameter(name, value));
        }

        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
