using System.Text.Json.Nodes;
using Sources.TestServers;

namespace Sources.Probing.Tests.MySql;

/// <summary>Request bodies for the MySQL-protocol types, aimed at the test MariaDB server by default.</summary>
internal static class MySqlSettings
{
    public static JsonObject For(int port, string type = "MYSQL", string user = MariaDbServer.User, string password = MariaDbServer.Password,
        string database = MariaDbServer.Database, string host = "localhost") => new()
        {
            ["type"] = type,
            ["hostname"] = host,
            ["port"] = port,
            ["username"] = user,
            ["password"] = password,
            ["database_name"] = database,
            // The suite's MariaDB speaks no TLS; the TLS tests (Tls/ServerTlsTests) start one that does.
            ["ssl_mode"] = "disable",
        };
}
