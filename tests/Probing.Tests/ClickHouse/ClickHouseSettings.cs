using System.Text.Json.Nodes;
using Sources.TestServers;

namespace Sources.Probing.Tests.ClickHouse;

/// <summary>CLICKHOUSE request bodies, aimed at the test server's HTTP port by default.</summary>
internal static class ClickHouseSettings
{
    public static JsonObject For(int port, string? database = null, string user = ClickHouseServer.User,
        string password = ClickHouseServer.Password, string host = "localhost")
    {
        var settings = new JsonObject
        {
            ["type"] = "CLICKHOUSE",
            ["host"] = host,
            ["port"] = port,
            ["username"] = user,
            ["password"] = password,
        };
        if (database is not null) settings["database"] = database;
        return settings;
    }
}
