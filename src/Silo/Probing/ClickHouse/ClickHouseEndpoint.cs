using System.Text.Json.Nodes;
using Sources.Silo.Probing.Common;

namespace Sources.Silo.Probing.ClickHouse;

/// <summary>
/// Where a CLICKHOUSE source's HTTP interface is. ClickHouse's own convention decides the
/// scheme: 8443 (ClickHouse Cloud) and 443 are its HTTPS ports, 8123 and anything else plain
/// HTTP. The URL carries the host name the user gave, never credentials.
/// </summary>
public static class ClickHouseEndpoint
{
    public const int DefaultPort = 8443;

    private static readonly int[] HttpsPorts = [8443, 443];

    public static Uri For(JsonObject settings)
    {
        var host = SettingsFields.Text(settings, "host")!.Trim();
        var port = SettingsFields.Port(settings, DefaultPort);
        var scheme = HttpsPorts.Contains(port) ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;
        return new UriBuilder(scheme, host, port, "/").Uri;
    }
}
