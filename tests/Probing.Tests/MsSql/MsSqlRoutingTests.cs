using System.Text.Json.Nodes;
using Microsoft.Data.SqlClient;
using Sources.Probing.Tests.Support;
using Sources.Silo.Probing;
using Sources.Silo.Probing.MsSql;

namespace Sources.Probing.Tests.MsSql;

/// <summary>A server that answers the login by routing it to another loopback port: the probe never connects there.</summary>
public sealed class MsSqlRoutingTests
{
    private static JsonObject Settings(int port) => new()
    {
        ["type"] = "MSSQL",
        ["connection_string"] = $"Server=tcp:127.0.0.1,{port};Uid=sa;Pwd=s3cret;Database=master;Encrypt=no",
    };

    [Fact]
    public async Task SqlClient_alone_follows_the_routing_answer()
    {
        // The control: the fake server is convincing enough that SqlClient goes where it is routed.
        await using var server = new FakeTdsServer();
        var builder = new SqlConnectionStringBuilder
        {
            DataSource = $"tcp:127.0.0.1,{server.Port}", UserID = "sa", Password = "s3cret", Encrypt = SqlConnectionEncryptOption.Optional,
            Pooling = false, ConnectRetryCount = 0, ConnectTimeout = 5,
        };
        await using var connection = new SqlConnection(builder.ConnectionString);

        await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync());

        Assert.Equal(1, server.Logins);
        Assert.True(server.RoutedConnections >= 1, "SqlClient did not follow the routing answer");
    }

    [Fact]
    public async Task A_routed_login_is_cut_before_SqlClient_sees_it_and_the_routed_port_sees_no_connection()
    {
        await using var server = new FakeTdsServer();

        var result = await new MsSqlProber(Probes.Loopback).Probe(Settings(server.Port), Probes.Context, CancellationToken.None);

        Assert.Equal(ProbeOutcome.Unsupported, result.Outcome);
        Assert.Contains("routing", result.Message);
        Assert.Equal(1, server.Logins);
        Assert.Equal(0, server.RoutedConnections);
    }
}
